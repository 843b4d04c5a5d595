//! Facts about the bundled report and the shipped examples that tests check against.

use std::path::PathBuf;

/// The crate's top directory (where `report.toml` is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("testkit lives in the crate")
        .to_path_buf()
}

/// The bundled report file.
pub fn report() -> PathBuf {
    root().join("report.toml")
}

/// A file under `examples/`.
pub fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

/// A file of `tests/data/hostile/`: reports made to attack the program.
pub fn hostile(name: &str) -> PathBuf {
    root().join("tests/data/hostile").join(name)
}

/// The bundled report's title.
pub const TITLE: &str = "Het rapport ‘de Veiligheidsregio als verbinder’";
/// The bundled report's seven themes in list order (sub-themes are entries of their own).
pub const THEMES: [&str; 7] = [
    "Inleiding",
    "Kernboodschap",
    "Verbinden op verschillende manieren",
    "Leren en reflecteren",
    "De toekomstige rol van de veiligheidsregio’s",
    "Consequenties",
    "Communicatie",
];
