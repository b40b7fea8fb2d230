//! Any bytes as a CKAN `package_show` result: JSON parsing and the package mapping.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = harvest::ckan::map_package(&v, "http://ckan.fuzz.example");
    }
});
