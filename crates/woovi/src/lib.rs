//! Woovi (OpenPix) API client and webhook verification.
