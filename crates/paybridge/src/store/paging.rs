//! Keyset paging shared by every list: ask for one row more than the page,
//! and hand back the last row's key as the cursor when there is more.

use super::sql::{Sql, SqlBuilder};

/// The page size asked for, within `1..=max`.
fn size(limit: u32, max: u32) -> u32 {
    limit.clamp(1, max)
}

/// Ends `qb` with `ORDER BY {order} LIMIT {size + 1}`.
pub(crate) fn page(mut qb: SqlBuilder, order: &str, limit: u32, max: u32) -> Sql {
    qb.push(" ORDER BY ")
        .push(order)
        .push(" LIMIT ")
        .bind(i64::from(size(limit, max)) + 1);
    qb.build()
}

/// The page and, when a row beyond it came back, the cursor for the next.
pub(crate) fn next_page<T>(
    mut rows: Vec<T>,
    limit: u32,
    max: u32,
    key: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    let size = size(limit, max) as usize;
    if rows.len() > size {
        rows.truncate(size);
        let next = rows.last().map(key);
        (rows, next)
    } else {
        (rows, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_more_means_a_next_page() {
        let key = |n: &u32| n.to_string();
        assert_eq!(
            next_page(vec![5, 4, 3], 2, 200, key),
            (vec![5, 4], Some("4".into()))
        );
        assert_eq!(next_page(vec![5, 4], 2, 200, key), (vec![5, 4], None));
        assert_eq!(
            next_page(vec![1, 2, 3], 0, 200, key),
            (vec![1], Some("1".into()))
        );
        assert_eq!(
            next_page(vec![1, 2, 3], 9, 2, key),
            (vec![1, 2], Some("2".into()))
        );
        let s = page(
            SqlBuilder::new("SELECT * FROM t WHERE 1 = 1"),
            "id DESC",
            10,
            200,
        );
        assert_eq!(
            s.pg_text(),
            "SELECT * FROM t WHERE 1 = 1 ORDER BY id DESC LIMIT $1"
        );
        assert_eq!(s.args(), [crate::store::sql::Arg::Int(Some(11))]);
    }
}
