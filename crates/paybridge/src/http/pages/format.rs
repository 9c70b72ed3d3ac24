//! Display formatting for pages (pure functions).

use crate::domain::OrderStatus;

/// Formats cents as Brazilian reais: `123456` → `R$ 1.234,56`.
pub fn format_brl(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let reais = (abs / 100).to_string();
    let mut grouped = String::with_capacity(reais.len() + reais.len() / 3);
    for (i, ch) in reais.chars().enumerate() {
        if i > 0 && (reais.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("{sign}R$ {grouped},{:02}", abs % 100)
}

/// What the buyer reads for an order status.
pub fn status_label(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::Pending => "Aguardando pagamento",
        OrderStatus::Paid => "Pagamento confirmado",
        OrderStatus::PartiallyRefunded => "Pagamento estornado parcialmente",
        OrderStatus::Refunded => "Pagamento estornado",
        OrderStatus::Expired => "Pagamento expirado",
        OrderStatus::Cancelled => "Pedido cancelado",
        OrderStatus::Declined => "Pagamento recusado",
        OrderStatus::Chargeback => "Pagamento contestado",
    }
}

/// What the merchant reads for a rejected webhook's reason code.
pub fn rejection_label(reason: &str) -> &'static str {
    match reason {
        "missing_signature" => "sem assinatura",
        "invalid_signature" => "assinatura inválida",
        "invalid_hmac" => "HMAC inválido",
        "invalid_authorization" => "autorização inválida",
        "unsupported_media_type" => "tipo de conteúdo não aceito",
        "malformed" => "corpo malformado",
        "body_too_large" => "corpo acima do limite",
        _ => "recusado",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_brl() {
        assert_eq!(format_brl(0), "R$ 0,00");
        assert_eq!(format_brl(5), "R$ 0,05");
        assert_eq!(format_brl(1500), "R$ 15,00");
        assert_eq!(format_brl(99_999), "R$ 999,99");
        assert_eq!(format_brl(123_456), "R$ 1.234,56");
        assert_eq!(format_brl(100_000_000), "R$ 1.000.000,00");
        assert_eq!(format_brl(12_345_678_901), "R$ 123.456.789,01");
        assert_eq!(format_brl(-123_456), "-R$ 1.234,56");
    }

    #[test]
    fn labels_the_final_states() {
        assert_eq!(status_label(OrderStatus::Paid), "Pagamento confirmado");
        assert_eq!(status_label(OrderStatus::Expired), "Pagamento expirado");
        assert_eq!(status_label(OrderStatus::Cancelled), "Pedido cancelado");
        assert_eq!(status_label(OrderStatus::Refunded), "Pagamento estornado");
    }

    #[test]
    fn labels_rejection_reasons() {
        for (code, label) in [
            ("missing_signature", "sem assinatura"),
            ("invalid_signature", "assinatura inválida"),
            ("invalid_hmac", "HMAC inválido"),
            ("invalid_authorization", "autorização inválida"),
            ("unsupported_media_type", "tipo de conteúdo não aceito"),
            ("malformed", "corpo malformado"),
            ("body_too_large", "corpo acima do limite"),
            ("something_new", "recusado"),
        ] {
            assert_eq!(rejection_label(code), label);
        }
    }
}
