//! Pix BR Code (EMV QRCPS-MPM): parse, validate, build and render.
