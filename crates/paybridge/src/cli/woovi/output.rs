//! JSON on stdout: one answer, one page, or with `--all` every page.

use clap::Args;
use futures::{Stream, StreamExt};
use serde::Serialize;
use std::io::IsTerminal as _;
use std::process::ExitCode;
use woovi::models::{Listed, Page};
use woovi::ListParams;

/// Paging options of list actions.
#[derive(Debug, Clone, Args)]
pub struct Paging {
    /// Items to skip.
    #[arg(long)]
    pub skip: Option<u32>,
    /// Page size.
    #[arg(long)]
    pub limit: Option<u32>,
    /// Walk every page and print one JSON array (progress bar on a terminal).
    #[arg(long)]
    pub all: bool,
}

impl Paging {
    pub(super) fn params(&self) -> ListParams {
        ListParams {
            skip: self.skip,
            limit: self.limit,
        }
    }
}

/// Prints a value as pretty JSON.
pub(super) fn print<T: Serialize>(value: &T) -> anyhow::Result<ExitCode> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(ExitCode::SUCCESS)
}

/// One page, or with `--all` every page behind a progress bar (terminal only).
pub(super) async fn list<T, S, F>(paging: &Paging, one: F, pages: S) -> anyhow::Result<ExitCode>
where
    T: Serialize + Listed,
    S: Stream<Item = Result<Page<T>, woovi::Error>>,
    F: std::future::Future<Output = Result<Page<T>, woovi::Error>>,
{
    if !paging.all {
        return print(&one.await?);
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} {wide_bar} {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut items = Vec::new();
    futures::pin_mut!(pages);
    while let Some(page) = pages.next().await {
        let page = page?;
        if let Some(bar) = &bar {
            if let Some(total) = page.page_info.total_count {
                bar.set_length(total.max(0) as u64);
            }
            bar.inc(page.items.len() as u64);
        }
        items.extend(page.items);
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    print(&items)
}
