//! Dose engine.
//!
//! Verifies: SRS-900 (crate doc: reported)

pub fn accept(v: f64) -> bool {
    v > 0.0 && v <= 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Verifies: SRS-001
    #[test]
    fn rejects_bolus_above_limit() {
        assert!(!accept(11.0));
    }

    #[test]
    #[should_panic(expected = "limit")]
    fn panics_on_nan<'a>() {
        let c = '{';
        // Verifies: SRS-002
        let s = "Verifies: SRS-999 in a string";
        panic!("limit {} {}", c, s);
    }

    // Verifies: SRS-003
    mod rate {
        //! Verifies: SRS-004 (inner doc: the module's tests)

        #[tokio::test]
        async fn accepts_twelve() {}

        #[test]
        fn accepts_one() {}
    }
}
