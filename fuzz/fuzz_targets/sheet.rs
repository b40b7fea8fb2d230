//! Any bytes as an uploaded or harvested spreadsheet (CSV or XLSX) and each row through the
//! template mapping.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;

fuzz_target!(|data: &[u8]| {
    for name in ["sheet.csv", "sheet.xlsx"] {
        let Ok(rows) = harvest::sheet::read_rows(data, name, "") else {
            continue;
        };
        let mut it = rows.into_iter();
        let header: Vec<String> = it.next().unwrap_or_default();
        for row in it.take(64) {
            let cells: HashMap<String, String> =
                header.iter().cloned().zip(row.into_iter()).collect();
            let _ = harvest::sheet::map_row(&cells);
        }
    }
});
