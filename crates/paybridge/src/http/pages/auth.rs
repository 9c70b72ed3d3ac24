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
pub(super) fn login_cookie(value: &str) -> String {
    format!("{COOKIE}={value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age={LOGIN_SECONDS}")
}

/// The `Set-Cookie` value that ends a login.
pub(super) fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// The login id of a valid, unexpired login cookie.
pub(super) fn login_id(secret: &Secret, headers: &HeaderMap) -> Option<String> {
    let value = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())?;
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
}
