//! `Page<T>`: one page of a Woovi list, whatever the list's JSON key is.

use super::common::PageInfo;
use super::lenient::vec_from_value;
use serde::de::{DeserializeOwned, Error as _};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A type that Woovi lists under a fixed JSON key (`charges`, `customers`, …).
pub trait Listed {
    /// The key of the array in the list response.
    const LIST_KEY: &'static str;
}

/// One page of a list: the items plus `pageInfo`.
///
/// Serializes back to Woovi's shape (`{"<key>": [...], "pageInfo": {...}}`)
/// so an emulator can answer with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// Items of this page.
    pub items: Vec<T>,
    /// Paging metadata.
    pub page_info: PageInfo,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            page_info: PageInfo::default(),
        }
    }
}

impl<T> Page<T> {
    /// Whether Woovi says another page follows.
    pub fn has_next(&self) -> bool {
        self.page_info.has_next_page.unwrap_or(false)
    }
}

impl<T: Listed + Serialize> Serialize for Page<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("pageInfo", &self.page_info)?;
        m.serialize_entry(T::LIST_KEY, &self.items)?;
        m.end()
    }
}

impl<'de, T: Listed + DeserializeOwned> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        let Value::Object(mut m) = v else {
            return Err(D::Error::custom("a list response must be a JSON object"));
        };
        let items = vec_from_value(m.remove(T::LIST_KEY).unwrap_or(Value::Null))
            .map_err(D::Error::custom)?;
        let page_info = match m.remove("pageInfo") {
            Some(v @ Value::Object(_)) => serde_json::from_value(v).map_err(D::Error::custom)?,
            _ => PageInfo::default(),
        };
        Ok(Page { items, page_info })
    }
}
