//! The reference jar must pass every case of the corpus: this is the ten-line harness an
//! implementer writes for their own jar (see cases/README.md).

fn main() {
    cookie_conformance::Harness::new(cookie_conformance::ReferenceTarget::new).run()
}
