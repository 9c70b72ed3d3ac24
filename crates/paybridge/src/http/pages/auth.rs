//! Server secret, HMAC signatures, the admin login cookie and CSRF tokens.

use super::AppState;
use crate::secret::Secret;
use crate::store::StoreError;
use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use time::OffsetDateTime;

/// Settings key of the pages' HMAC secret (generated once, kept in the database).
const PAGES_SECRET: &str = "pages_hmac_secret";
/// The admin login cookie.
pub(super) const COOKIE: &str = "pb_admin";
/// Login lifetime.
const LOGIN_SECONDS: i64 = 8 * 3600;
/// The pre-login CSRF cookie (signed double submit: the form carries the
/// HMAC of this cookie's random value).
pub(super) const LOGIN_CSRF_COOKIE: &str = "pb_login_csrf";
/// How long a login form stays usable.
const LOGIN_CSRF_SECONDS: i64 = 3600;

/// Whether cookies must carry `Secure`: whenever the public URL is https.
pub(super) fn secure_cookies(state: &AppState) -> bool {
    state.public_url.scheme() == "https"
}

/// A `Set-Cookie` value: always `HttpOnly` and `SameSite=Strict`, plus
/// `Secure` when the site is served over https.
fn set_cookie(name: &str, value: &str, path: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path={path}; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// The value of cookie `name` in the request, if sent.
fn cookie_value<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The server secret that signs logins and buyer links.
pub(super) async fn server_secret(state: &AppState) -> Result<Secret, StoreError> {
    let v = state
        .store
        .setting_or_insert(PAGES_SECRET, Secret::generate("").expose())
        .await?;
    Ok(Secret::new(v))
}

fn mac(secret: &Secret, purpose: &str, msg: &str) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes())
        .expect("HMAC takes any key length");
    m.update(purpose.as_bytes());
    m.update(b"\0");
    m.update(msg.as_bytes());
    m
}

/// Hex HMAC-SHA256 of `msg` for one purpose (domain-separated).
pub(super) fn sign(secret: &Secret, purpose: &str, msg: &str) -> String {
    hex::encode(mac(secret, purpose, msg).finalize().into_bytes())
}

/// Constant-time check of a hex signature.
pub(super) fn verify(secret: &Secret, purpose: &str, msg: &str, sig_hex: &str) -> bool {
    match hex::decode(sig_hex) {
        Ok(sig) => mac(secret, purpose, msg).verify_slice(&sig).is_ok(),
        Err(_) => false,
    }
}

/// A new login cookie value: `{random id}.{expiry}.{hmac}`.
pub(super) fn new_login(secret: &Secret) -> String {
    let id = Secret::generate("");
    let exp = OffsetDateTime::now_utc().unix_timestamp() + LOGIN_SECONDS;
    let body = format!("{}.{exp}", id.expose());
    let sig = sign(secret, "login", &body);
    format!("{body}.{sig}")
}

/// The `Set-Cookie` value for a login.
pub(super) fn login_cookie(value: &str, secure: bool) -> String {
    set_cookie(COOKIE, value, "/admin", LOGIN_SECONDS, secure)
}

/// The `Set-Cookie` value that ends a login.
pub(super) fn clear_cookie(secure: bool) -> String {
    set_cookie(COOKIE, "", "/admin", 0, secure)
}

/// The login id of a valid, unexpired login cookie.
pub(super) fn login_id(secret: &Secret, headers: &HeaderMap) -> Option<String> {
    let value = cookie_value(headers, COOKIE)?;
    let (body, sig) = value.rsplit_once('.')?;
    let (id, exp) = body.split_once('.')?;
    let exp: i64 = exp.parse().ok()?;
    (verify(secret, "login", body, sig) && exp > OffsetDateTime::now_utc().unix_timestamp())
        .then(|| id.to_owned())
}

/// The CSRF token bound to a login.
pub(super) fn csrf_token(secret: &Secret, login_id: &str) -> String {
    sign(secret, "csrf", login_id)
}

/// A fresh random value for the pre-login CSRF cookie.
pub(super) fn new_login_nonce() -> String {
    Secret::generate("").expose().to_owned()
}

/// The `Set-Cookie` value carrying the pre-login nonce.
pub(super) fn login_csrf_cookie(nonce: &str, secure: bool) -> String {
    set_cookie(
        LOGIN_CSRF_COOKIE,
        nonce,
        "/admin/login",
        LOGIN_CSRF_SECONDS,
        secure,
    )
}

/// Removes the pre-login cookie once it has served (after a login).
pub(super) fn clear_login_csrf_cookie(secure: bool) -> String {
    set_cookie(LOGIN_CSRF_COOKIE, "", "/admin/login", 0, secure)
}

/// The hidden-field token of the login form: bound to the nonce cookie, so a
/// page on another site can neither read nor make a matching pair.
pub(super) fn login_csrf_token(secret: &Secret, nonce: &str) -> String {
    sign(secret, "login-csrf", nonce)
}

/// The nonce of the pre-login cookie when the posted token matches it.
pub(super) fn checked_login_nonce<'h>(
    secret: &Secret,
    headers: &'h HeaderMap,
    token: &str,
) -> Option<&'h str> {
    let nonce = cookie_value(headers, LOGIN_CSRF_COOKIE).filter(|n| !n.is_empty())?;
    verify(secret, "login-csrf", nonce, token).then_some(nonce)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_tampering_fails() {
        let k = Secret::new("k");
        let s = sign(&k, "portal", "ana@example.com");
        assert!(verify(&k, "portal", "ana@example.com", &s));
        assert!(!verify(&k, "portal", "bia@example.com", &s));
        assert!(!verify(&k, "login", "ana@example.com", &s));
        assert!(!verify(
            &Secret::new("other"),
            "portal",
            "ana@example.com",
            &s
        ));
        assert!(!verify(&k, "portal", "ana@example.com", "zz"));
    }

    #[test]
    fn login_cookie_round_trips_and_rejects_forgery() {
        let k = Secret::new("k");
        let v = new_login(&k);
        let mut h = HeaderMap::new();
        h.insert("cookie", format!("x=1; {COOKIE}={v}").parse().unwrap());
        assert!(login_id(&k, &h).is_some());
        assert!(login_id(&Secret::new("other"), &h).is_none());
        let forged = v.replace('.', "0.");
        h.insert("cookie", format!("{COOKIE}={forged}").parse().unwrap());
        assert!(login_id(&k, &h).is_none());
    }

    #[test]
    fn login_csrf_needs_the_cookie_and_its_matching_token() {
        let k = Secret::new("k");
        let nonce = new_login_nonce();
        let token = login_csrf_token(&k, &nonce);
        let with_cookie = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(
                "cookie",
                format!("a=b; {LOGIN_CSRF_COOKIE}={v}").parse().unwrap(),
            );
            h
        };
        let good = with_cookie(&nonce);
        assert_eq!(checked_login_nonce(&k, &good, &token), Some(nonce.as_str()));
        let other_nonce = new_login_nonce();
        let cases: [(HeaderMap, &str, &str); 6] = [
            (HeaderMap::new(), &token, "no cookie"),
            (good.clone(), "", "no token"),
            (good.clone(), "00", "wrong token"),
            (with_cookie(&other_nonce), &token, "token of another cookie"),
            (with_cookie(""), &login_csrf_token(&k, ""), "empty cookie"),
            (
                good.clone(),
                &csrf_token(&k, &nonce),
                "token of another purpose",
            ),
        ];
        for (headers, token, what) in cases {
            assert_eq!(checked_login_nonce(&k, &headers, token), None, "{what}");
        }
        assert_eq!(
            checked_login_nonce(&Secret::new("other"), &good, &token),
            None,
            "another server's secret"
        );
    }

    #[test]
    fn cookies_are_secure_only_over_https() {
        for c in [
            login_cookie("v", true),
            clear_cookie(true),
            login_csrf_cookie("n", true),
        ] {
            assert!(c.ends_with("; Secure"), "{c}");
            assert!(c.contains("HttpOnly; SameSite=Strict"), "{c}");
        }
        for c in [
            login_cookie("v", false),
            clear_cookie(false),
            login_csrf_cookie("n", false),
        ] {
            assert!(!c.contains("Secure"), "{c}");
        }
    }
}
