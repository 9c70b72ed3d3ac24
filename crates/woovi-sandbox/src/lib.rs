//! A local, Woovi-compatible emulator.
