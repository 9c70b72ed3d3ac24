//! `paybridge demo` as a black box.
