//! `paybridge brcode …`: decode, encode and render Pix BR Codes.

use anyhow::Context as _;
use brcode::{BrCode, Builder, PixKey, PixKeyKind, TaxId};
use clap::Subcommand;
use serde_json::{json, Value};
use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// BR Code subcommands.
#[derive(Debug, Subcommand)]
pub enum BrcodeCommand {
    /// Decode a payload (or `-` for stdin) and print its fields as JSON.
    Decode {
        /// The payload, or `-` to read it from stdin.
        payload: String,
        /// Apply every rule of the BCB Pix manual.
        #[arg(long)]
        strict: bool,
    },
    /// Build a static (--key) or dynamic (--url) payload and print it.
    Encode {
        /// Pix key of a static code (CPF/CNPJ may be punctuated).
        #[arg(long, required_unless_present = "url", conflicts_with = "url")]
        key: Option<String>,
        /// Location of a dynamic code, without https://.
        #[arg(long)]
        url: Option<String>,
        /// Amount in cents; omit to let the payer choose.
        #[arg(long)]
        amount_cents: Option<u64>,
        /// Receiver's name (folded to upper-case ASCII, cut to 25).
        #[arg(long)]
        name: String,
        /// Receiver's city (folded to upper-case ASCII, cut to 15).
        #[arg(long)]
        city: String,
        /// Transaction ID: 1-25 letters and digits; `***` when omitted.
        #[arg(long)]
        txid: Option<String>,
        /// Free text shown to the payer (static codes only).
        #[arg(long)]
        info: Option<String>,
        /// CEP (field 61).
        #[arg(long)]
        postal_code: Option<String>,
    },
    /// Render a payload (or `-` for stdin) as a QR code: PNG, or SVG when
    /// the output file ends in `.svg`.
    Qr {
        /// The payload, or `-` to read it from stdin.
        payload: String,
        /// Output file (`.png` or `.svg`).
        #[arg(long)]
        out: PathBuf,
        /// Width and height in pixels.
        #[arg(long, default_value_t = 512)]
        size: u32,
    },
}

/// Runs a BR Code subcommand.
pub fn run(cmd: BrcodeCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        BrcodeCommand::Decode { payload, strict } => {
            let payload = read_payload(payload)?;
            let code = if strict {
                brcode::parse_strict(&payload).context("invalid BR Code (strict)")?
            } else {
                brcode::parse(&payload).context("invalid BR Code")?
            };
            println!("{}", serde_json::to_string_pretty(&to_json(&code))?);
        }
        BrcodeCommand::Encode {
            key,
            url,
            amount_cents,
            name,
            city,
            txid,
            info,
            postal_code,
        } => {
            let mut builder = match (key, url) {
                (Some(key), _) => Builder::new_static(parse_key(&key)?),
                (None, Some(url)) => Builder::new_dynamic(&url),
                (None, None) => anyhow::bail!("give --key or --url"),
            };
            builder = builder.merchant_name(&name).merchant_city(&city);
            if let Some(cents) = amount_cents {
                builder = builder.amount_cents(cents);
            }
            if let Some(txid) = txid {
                builder = builder.txid(&txid);
            }
            if let Some(info) = info {
                builder = builder.info(&info);
            }
            if let Some(cep) = postal_code {
                builder = builder.postal_code(&cep);
            }
            println!("{}", builder.build().context("cannot build the BR Code")?);
        }
        BrcodeCommand::Qr { payload, out, size } => {
            let payload = read_payload(payload)?;
            brcode::parse(&payload).context("refusing to render an invalid BR Code")?;
            let ext = out
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            let bytes = match ext.as_deref() {
                Some("svg") => brcode::qr::svg(&payload, size)?.into_bytes(),
                Some("png") => brcode::qr::png(&payload, size, true)?,
                _ => anyhow::bail!("--out must end in .png or .svg"),
            };
            std::fs::write(&out, bytes).with_context(|| format!("writing {}", out.display()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The payload argument, or stdin for `-`; line endings are trimmed
/// because shells and pipes add them.
fn read_payload(arg: String) -> anyhow::Result<String> {
    if arg != "-" {
        return Ok(arg);
    }
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("reading the payload from stdin")?;
    Ok(s.trim_end_matches(['\r', '\n']).to_owned())
}

/// A key in DICT form, or a punctuated CPF/CNPJ as people type them.
fn parse_key(key: &str) -> anyhow::Result<PixKey> {
    match PixKey::parse(key) {
        Ok(k) => Ok(k),
        Err(e) => match TaxId::parse(key) {
            Ok(t) => Ok(t.into()),
            Err(_) => Err(e).context("invalid --key"),
        },
    }
}

fn to_json(code: &BrCode<'_>) -> Value {
    let crc_text = code.payload().get(code.payload().len() - 4..);
    let list = |fields: &mut dyn Iterator<Item = brcode::Field<'_>>| -> Vec<Value> {
        fields
            .map(|f| json!({ "id": format!("{:02}", f.id), "value": f.value }))
            .collect()
    };
    json!({
        "payload_format": code.payload_format(),
        "point_of_initiation": code.point_of_initiation(),
        "gui": code.gui(),
        "key": code.key(),
        "key_type": code.key().and_then(PixKeyKind::of).map(PixKeyKind::as_str),
        "info": code.info(),
        "fss": code.fss(),
        "url": code.url(),
        "mcc": code.mcc(),
        "currency": code.currency(),
        "amount": code.amount(),
        "amount_cents": code.amount_cents(),
        "country": code.country(),
        "merchant_name": code.merchant_name(),
        "merchant_city": code.merchant_city(),
        "postal_code": code.postal_code(),
        "txid": code.txid(),
        "crc": crc_text,
        "unreserved": list(&mut code.unreserved()),
        "unknown": list(&mut code.unknown()),
    })
}
