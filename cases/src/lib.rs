//! # cookie-conformance-cases
//!
//! The case corpus of the cookie conformance suite: every YAML file of the `cases/` folder of
//! the repository (one folder per area of RFC 6265bis), embedded byte for byte. The format is
//! described in the folder's `README.md` and `schema.json`; the `cookie-conformance` crate
//! loads and runs it. This crate only carries the data, so that the corpus has one home and
//! one version.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// One case file of the corpus.
#[derive(Clone, Copy, Debug)]
pub struct CaseFile {
    /// The path below `cases/`, `/`-separated (`domain/suffix.yaml`); its first segment is the
    /// area.
    pub path: &'static str,
    /// The file's bytes, as committed.
    pub bytes: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/embedded_cases.rs"));

#[cfg(test)]
mod tests {
    use super::FILES;

    #[test]
    fn every_area_folder_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk = 0;
        for area in std::fs::read_dir(dir).unwrap().flatten() {
            if !area.file_type().unwrap().is_dir() || area.file_name() == "src" {
                continue;
            }
            for file in std::fs::read_dir(area.path()).unwrap().flatten() {
                if file.file_name().to_string_lossy().ends_with(".yaml") {
                    on_disk += 1;
                }
            }
        }
        assert!(on_disk > 0);
        assert_eq!(FILES.len(), on_disk);
        assert!(FILES.windows(2).all(|w| w[0].path < w[1].path), "sorted by path");
        assert!(FILES.iter().all(|f| f.path.contains('/') && !f.bytes.is_empty()));
    }
}
