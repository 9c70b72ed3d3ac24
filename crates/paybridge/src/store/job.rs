//! A unit of write work: what one caller wants committed together. Jobs
//! are written once against [`Tx`]; the backend decides how they meet the
//! database (SQLite: many jobs share one transaction, each in a savepoint;
//! PostgreSQL: a transaction each, retried when the database asks).

use super::sql::Sql;
use super::tx::Tx;
use super::StoreError;
use futures::future::BoxFuture;

/// One write that commits as a whole.
pub(crate) trait Job: Clone + Send + 'static {
    /// What the caller gets once the transaction is committed.
    type Output: Send + 'static;
    /// The job's own failure; storage failures convert into it.
    type Error: From<StoreError> + Send + 'static;
    /// Does the job's writes inside `tx`. May run more than once (a retried
    /// PostgreSQL transaction): it must depend only on `self` and what it reads.
    fn run<'a>(self, tx: &'a mut Tx<'_>) -> BoxFuture<'a, Result<Self::Output, Self::Error>>;
}

/// Statements with no logic of their own (a setting, a rejected attempt, a
/// dashboard action), run in order; the output is the rows the last one changed.
#[derive(Clone)]
pub(crate) struct Statements(pub(crate) Vec<Sql>);

impl Job for Statements {
    type Output = u64;
    type Error = StoreError;

    fn run<'a>(self, tx: &'a mut Tx<'_>) -> BoxFuture<'a, Result<u64, StoreError>> {
        Box::pin(async move {
            let mut statements = self.0;
            let Some(last) = statements.pop() else {
                return Ok(0);
            };
            for s in statements {
                tx.queue(s).await?;
            }
            tx.execute(last).await
        })
    }
}
