//! The one table that maps every provider's status words onto the unified
//! status. Parsers look words up here, and the README's table is generated
//! from it (a test fails when the README drifts), so the mapping is written once.

use std::fmt;

/// A status every provider's words map onto. `Abandoned` is a cart, not an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unified {
    /// Created, waiting for payment.
    Pending,
    /// The money arrived.
    Paid,
    /// The payment method refused.
    Declined,
    /// Left unpaid past its due date.
    Expired,
    /// Cancelled by the platform or merchant.
    Cancelled,
    /// A refund was approved and is on its way.
    RefundRequested,
    /// The money went back to the buyer.
    Refunded,
    /// The buyer disputed the payment.
    Chargeback,
    /// A checkout left before paying (a cart record, never an order).
    Abandoned,
}

impl Unified {
    /// The snake_case name used in the README and in API answers.
    pub fn as_str(self) -> &'static str {
        match self {
            Unified::Pending => "pending",
            Unified::Paid => "paid",
            Unified::Declined => "declined",
            Unified::Expired => "expired",
            Unified::Cancelled => "cancelled",
            Unified::RefundRequested => "refund_requested",
            Unified::Refunded => "refunded",
            Unified::Chargeback => "chargeback",
            Unified::Abandoned => "abandoned",
        }
    }
}

impl fmt::Display for Unified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row: the words of each provider that mean `unified`.
#[derive(Debug, Clone, Copy)]
pub struct Mapping {
    /// The unified status.
    pub unified: Unified,
    /// Woovi is event-driven (see `providers/woovi.rs`); this cell documents it.
    pub woovi: &'static str,
    /// Wiapy `payment.status` values.
    pub wiapy: &'static [&'static str],
    /// Eduzz legacy `trans_status` codes.
    pub eduzz_status: &'static [&'static str],
    /// Eduzz legacy `event_name` values (they win over `trans_status`).
    pub eduzz_event: &'static [&'static str],
    /// Eduzz Developer Hub `event` values.
    pub eduzz_hub: &'static [&'static str],
}

/// The mapping. Beyond the architecture guide it adds `invoice_recovering` to
/// Eduzz legacy `pending` (its `trans_status` 11 already was) and the spelling
/// `myeduzz.invoice_negotiatied`, which Eduzz's own Hub example uses.
pub const TABLE: [Mapping; 9] = [
    Mapping {
        unified: Unified::Pending,
        woovi: "charge ACTIVE / CHARGE_CREATED",
        wiapy: &["unpaid"],
        eduzz_status: &["1", "11", "15"],
        eduzz_event: &[
            "invoice_open",
            "invoice_processing",
            "invoice_analysing",
            "invoice_scheduled",
            "invoice_waiting_payment",
            "invoice_recovering",
        ],
        eduzz_hub: &[
            "myeduzz.invoice_opened",
            "myeduzz.invoice_waiting_payment",
            "myeduzz.invoice_recovering",
            "myeduzz.invoice_scheduled",
        ],
    },
    Mapping {
        unified: Unified::Paid,
        woovi: "CHARGE_COMPLETED",
        wiapy: &["paid"],
        eduzz_status: &["3"],
        eduzz_event: &["invoice_paid"],
        eduzz_hub: &["myeduzz.invoice_paid"],
    },
    Mapping {
        unified: Unified::Declined,
        woovi: "—",
        wiapy: &["credit_card_declined"],
        eduzz_status: &[],
        eduzz_event: &["invoice_refused"],
        eduzz_hub: &["myeduzz.invoice_refused"],
    },
    Mapping {
        unified: Unified::Expired,
        woovi: "CHARGE_EXPIRED",
        wiapy: &[],
        eduzz_status: &["10"],
        eduzz_event: &["invoice_expired", "invoice_overdue"],
        eduzz_hub: &["myeduzz.invoice_expired", "myeduzz.invoice_overdue"],
    },
    Mapping {
        unified: Unified::Cancelled,
        woovi: "charge deleted",
        wiapy: &[],
        eduzz_status: &["4", "9"],
        eduzz_event: &["invoice_canceled", "invoice_duplicated"],
        eduzz_hub: &["myeduzz.invoice_canceled"],
    },
    Mapping {
        unified: Unified::RefundRequested,
        woovi: "refund IN_PROCESSING",
        wiapy: &[],
        eduzz_status: &["6"],
        eduzz_event: &["invoice_waiting_refund"],
        eduzz_hub: &["myeduzz.invoice_waiting_refund"],
    },
    Mapping {
        unified: Unified::Refunded,
        woovi: "refund CONFIRMED (partial or full)",
        wiapy: &["refunded"],
        eduzz_status: &["7"],
        eduzz_event: &["invoice_refunded"],
        eduzz_hub: &["myeduzz.invoice_refunded"],
    },
    Mapping {
        unified: Unified::Chargeback,
        woovi: "—",
        wiapy: &["chargedback"],
        eduzz_status: &[],
        eduzz_event: &["invoice_negociated"],
        eduzz_hub: &["myeduzz.invoice_negotiated", "myeduzz.invoice_negotiatied"],
    },
    Mapping {
        unified: Unified::Abandoned,
        woovi: "—",
        wiapy: &[],
        eduzz_status: &[],
        eduzz_event: &["cart_abandonment"],
        eduzz_hub: &[],
    },
];

fn find(word: &str, column: impl Fn(&Mapping) -> &'static [&'static str]) -> Option<Unified> {
    TABLE
        .iter()
        .find(|m| column(m).contains(&word))
        .map(|m| m.unified)
}

/// A Wiapy `payment.status`.
pub fn wiapy(status: &str) -> Option<Unified> {
    find(status, |m| m.wiapy)
}

/// An Eduzz legacy `trans_status` code.
pub fn eduzz_status(code: &str) -> Option<Unified> {
    find(code, |m| m.eduzz_status)
}

/// An Eduzz legacy `event_name`.
pub fn eduzz_event(name: &str) -> Option<Unified> {
    find(name, |m| m.eduzz_event)
}

/// An Eduzz Developer Hub `event`.
pub fn eduzz_hub(event: &str) -> Option<Unified> {
    find(event, |m| m.eduzz_hub)
}

fn cell(words: &[&str]) -> String {
    if words.is_empty() {
        "—".to_owned()
    } else {
        words
            .iter()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The table as Markdown, as the README shows it.
pub fn markdown() -> String {
    let mut out = String::from(
        "| unified | Woovi | Wiapy `payment.status` | Eduzz legacy `trans_status` | Eduzz legacy `event_name` | Eduzz Hub `event` |\n\
         |---|---|---|---|---|---|\n",
    );
    for m in TABLE {
        let unified = match m.unified {
            Unified::Abandoned => "abandoned (cart, not order)".to_owned(),
            u => format!("`{u}`"),
        };
        let legacy_event = match m.unified {
            Unified::Abandoned => format!("{} (or `type` = `abandonment`)", cell(m.eduzz_event)),
            _ => cell(m.eduzz_event),
        };
        out.push_str(&format!(
            "| {unified} | {} | {} | {} | {legacy_event} | {} |\n",
            m.woovi,
            cell(m.wiapy),
            cell(m.eduzz_status),
            cell(m.eduzz_hub),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_maps_to_exactly_one_status() {
        let columns: [fn(&Mapping) -> &'static [&'static str]; 4] = [
            |m| m.wiapy,
            |m| m.eduzz_status,
            |m| m.eduzz_event,
            |m| m.eduzz_hub,
        ];
        for column in columns {
            let mut seen = std::collections::HashSet::new();
            for m in TABLE {
                for w in column(&m) {
                    assert!(seen.insert(*w), "{w} appears twice");
                }
            }
        }
    }

    #[test]
    fn lookups_follow_the_table() {
        let cases = [
            (wiapy("paid"), Some(Unified::Paid)),
            (wiapy("unpaid"), Some(Unified::Pending)),
            (wiapy("credit_card_declined"), Some(Unified::Declined)),
            (wiapy("refunded"), Some(Unified::Refunded)),
            (wiapy("chargedback"), Some(Unified::Chargeback)),
            (wiapy("PAID"), None),
            (eduzz_status("3"), Some(Unified::Paid)),
            (eduzz_status("9"), Some(Unified::Cancelled)),
            (eduzz_status("15"), Some(Unified::Pending)),
            (eduzz_status("2"), None),
            (eduzz_event("invoice_negociated"), Some(Unified::Chargeback)),
            (eduzz_event("invoice_overdue"), Some(Unified::Expired)),
            (eduzz_event("cart_abandonment"), Some(Unified::Abandoned)),
            (eduzz_event("contract_up_to_date"), None),
            (
                eduzz_hub("myeduzz.invoice_waiting_refund"),
                Some(Unified::RefundRequested),
            ),
            (
                eduzz_hub("myeduzz.invoice_negotiatied"),
                Some(Unified::Chargeback),
            ),
            (eduzz_hub("myeduzz.contract_created"), None),
        ];
        for (i, (got, want)) in cases.into_iter().enumerate() {
            assert_eq!(got, want, "case {i}");
        }
    }

    #[test]
    fn woovi_event_names_in_the_table_parse_to_their_status() {
        let mut checked = 0;
        for m in TABLE {
            if !m.woovi.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
                continue; // prose, not an event name
            }
            let body = serde_json::json!({
                "event": format!("OPENPIX:{}", m.woovi),
                "charge": { "correlationID": "c1", "value": 100 },
                "pix": { "endToEndId": "E1", "value": 100 }
            });
            let evs = crate::providers::woovi::parse_body(body.to_string().as_bytes()).unwrap();
            assert_eq!(evs[0].kind.name(), m.unified.as_str(), "{}", m.woovi);
            checked += 1;
        }
        assert_eq!(checked, 2, "CHARGE_COMPLETED and CHARGE_EXPIRED");
    }

    #[test]
    fn readme_shows_the_generated_table() {
        const START: &str =
            "<!-- status-mapping:start (generated from src/domain/status_mapping.rs) -->\n";
        const END: &str = "<!-- status-mapping:end -->";
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
        let readme = std::fs::read_to_string(path).expect("README.md at the workspace root");
        let (Some(a), Some(b)) = (readme.find(START), readme.find(END)) else {
            panic!("README.md lacks the {START:?} … {END:?} markers");
        };
        let shown = &readme[a + START.len()..b];
        let generated = markdown();
        if shown != generated {
            if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
                let updated = format!("{}{generated}{}", &readme[..a + START.len()], &readme[b..]);
                std::fs::write(path, updated).expect("README.md written");
            } else {
                panic!(
                    "README.md's status table differs from the code; run \
                     UPDATE_SNAPSHOTS=1 cargo test -p paybridge readme_shows_the_generated_table\n\
                     --- README ---\n{shown}\n--- code ---\n{generated}"
                );
            }
        }
    }
}
