//! Refusing outbound webhooks to addresses inside the host's network
//! (loopback, private, link-local, cloud metadata…). The check runs in the
//! HTTP client's DNS step, so the address connected to is the address checked
//! (no DNS-rebinding window); IP-literal URLs are checked before sending.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use url::Url;

/// Why an address is refused, or `None` when it is a public unicast address.
pub fn forbidden_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return forbidden_v4(v4).map(|_| "IPv4-mapped IPv6 address of a refused range");
            }
            let s = v6.segments();
            if v6.is_unspecified() {
                Some("unspecified address")
            } else if v6.is_loopback() {
                Some("loopback address")
            } else if v6.is_multicast() {
                Some("multicast address")
            } else if s[0] & 0xfe00 == 0xfc00 {
                Some("unique-local address (fc00::/7)")
            } else if s[0] & 0xffc0 == 0xfe80 {
                Some("link-local address")
            } else if s[0] == 0 && s[1] == 0 && s[2] == 0 && s[3] == 0 && s[4] == 0 && s[5] == 0 {
                // ::a.b.c.d (deprecated IPv4-compatible) carries an IPv4 address.
                forbidden_v4(Ipv4Addr::new(
                    (s[6] >> 8) as u8,
                    s[6] as u8,
                    (s[7] >> 8) as u8,
                    s[7] as u8,
                ))
                .map(|_| "IPv4-compatible IPv6 address of a refused range")
            } else if s[0] == 0x64 && s[1] == 0xff9b {
                Some("NAT64 address")
            } else {
                None
            }
        }
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let o = ip.octets();
    if ip.is_unspecified() || o[0] == 0 {
        Some("unspecified address")
    } else if ip.is_loopback() {
        Some("loopback address")
    } else if ip.is_private() {
        Some("private address (RFC 1918)")
    } else if o[0] == 100 && (o[1] & 0xc0) == 64 {
        Some("carrier-grade NAT address (100.64.0.0/10)")
    } else if ip.is_link_local() {
        Some("link-local or cloud metadata address")
    } else if ip.is_multicast() {
        Some("multicast address")
    } else if ip.is_broadcast() || o[0] >= 240 {
        Some("reserved address")
    } else if o[0] == 192 && o[1] == 0 && o[2] == 0 {
        Some("IETF protocol assignment (192.0.0.0/24)")
    } else if o[0] == 198 && (o[1] & 0xfe) == 18 {
        Some("benchmarking address (198.18.0.0/15)")
    } else {
        None
    }
}

/// Why a webhook URL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlRefused {
    /// Not an absolute http(s) URL with a host.
    #[error("must be an absolute http or https URL with a host")]
    NotHttp,
    /// The URL carries user:password.
    #[error("must not contain credentials")]
    Credentials,
    /// The host does not resolve.
    #[error("host {0} does not resolve")]
    Unresolvable(String),
    /// The host is or resolves to an address of the host's own network.
    #[error("{host} resolves to {ip}, a {reason}; set PAYBRIDGE_OUTBOUND_ALLOW_PRIVATE=true to allow it")]
    Private {
        /// The URL's host.
        host: String,
        /// The refused address.
        ip: IpAddr,
        /// Which range.
        reason: &'static str,
    },
}

/// Parses a webhook URL: http(s), a host, no credentials.
pub fn parse_url(s: &str) -> Result<Url, UrlRefused> {
    let url = Url::parse(s.trim()).map_err(|_| UrlRefused::NotHttp)?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(UrlRefused::NotHttp);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(UrlRefused::Credentials);
    }
    Ok(url)
}

/// The host's IP when the URL names one literally.
pub fn literal_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        url::Host::Domain(_) => None,
    }
}

/// Checks every address of a resolved host; the first refused one wins.
pub fn check_addrs(host: &str, addrs: &[IpAddr]) -> Result<(), UrlRefused> {
    for ip in addrs {
        if let Some(reason) = forbidden_reason(*ip) {
            return Err(UrlRefused::Private {
                host: host.to_owned(),
                ip: *ip,
                reason,
            });
        }
    }
    Ok(())
}

/// Resolves the URL's host and checks every address (unless private
/// destinations are allowed). Used when an endpoint is saved, for a clear 422.
pub async fn check_url(url: &Url, allow_private: bool) -> Result<(), UrlRefused> {
    let host = url.host_str().ok_or(UrlRefused::NotHttp)?.to_owned();
    let addrs: Vec<IpAddr> = match literal_ip(url) {
        Some(ip) => vec![ip],
        None => {
            let port = url.port_or_known_default().unwrap_or(443);
            tokio::net::lookup_host((host.as_str(), port))
                .await
                .map_err(|_| UrlRefused::Unresolvable(host.clone()))?
                .map(|a| a.ip())
                .collect()
        }
    };
    if addrs.is_empty() {
        return Err(UrlRefused::Unresolvable(host));
    }
    if allow_private {
        return Ok(());
    }
    check_addrs(&host, &addrs)
}

/// The HTTP client's resolver: resolves with the system resolver and refuses
/// the whole host when any address is refused.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver;

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let ips: Vec<IpAddr> = addrs.iter().map(SocketAddr::ip).collect();
            check_addrs(&host, &ips)?;
            let it: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(it)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv6Addr;

    #[test]
    fn address_table() {
        let refused = [
            "127.0.0.1",
            "127.1.2.3",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "100.127.255.255",
            "169.254.169.254",
            "169.254.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "198.18.0.1",
            "::",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
        ];
        for ip in refused {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(forbidden_reason(ip).is_some(), "{ip} must be refused");
        }
        let allowed = [
            "8.8.8.8",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.0",
            "172.32.0.1",
            "172.15.255.255",
            "192.169.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ];
        for ip in allowed {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(forbidden_reason(ip), None, "{ip} must be allowed");
        }
        let v6 = IpAddr::V6(Ipv6Addr::new(0x2606, 0x4700, 0, 0, 0, 0, 0, 0x1111));
        assert_eq!(forbidden_reason(v6), None);
    }

    #[test]
    fn url_shapes() {
        assert!(parse_url("https://loja.example.com/hooks").is_ok());
        assert_eq!(parse_url("ftp://x/"), Err(UrlRefused::NotHttp));
        assert_eq!(parse_url("/relative"), Err(UrlRefused::NotHttp));
        assert_eq!(parse_url("http://u:p@x.com/"), Err(UrlRefused::Credentials));
    }

    #[test]
    fn one_bad_address_refuses_the_host() {
        let ips: Vec<IpAddr> = vec!["8.8.8.8".parse().unwrap(), "10.0.0.1".parse().unwrap()];
        assert!(matches!(
            check_addrs("rebind.example", &ips),
            Err(UrlRefused::Private { .. })
        ));
        assert!(check_addrs("ok.example", &ips[..1]).is_ok());
    }

    #[tokio::test]
    async fn names_resolving_to_loopback_are_refused() {
        let url = parse_url("http://localhost:9/").unwrap();
        assert!(matches!(
            check_url(&url, false).await,
            Err(UrlRefused::Private { .. })
        ));
        assert!(check_url(&url, true).await.is_ok());
        let meta = parse_url("http://169.254.169.254/latest/meta-data/").unwrap();
        assert!(check_url(&meta, false).await.is_err());
        let mapped = parse_url("http://[::ffff:7f00:1]:8080/").unwrap();
        assert!(check_url(&mapped, false).await.is_err());
    }

    #[tokio::test]
    async fn the_client_resolver_refuses_loopback_names() {
        use reqwest::dns::Resolve;
        let res = GuardedResolver.resolve("localhost".parse().unwrap()).await;
        let err = res.err().expect("refused").to_string();
        assert!(err.contains("loopback"), "{err}");
    }
}
