//! The layering rule of docs/ARCHITECTURE.md that the compiler cannot keep: no import circle
//! between the top-level modules of any crate. `scripts/module-cycles.py` finds them (the
//! strongly connected groups of `crate::MODULE` references); this runs it on every member.

use std::path::Path;
use std::process::Command;

#[test]
fn no_crate_has_an_import_circle_between_its_modules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let script = root.join("scripts/module-cycles.py");
    let mut circles = Vec::new();
    for krate in ["vocab", "harvest", "record", "store", "registry", "tests"] {
        let src = root.join(krate).join("src");
        assert!(
            src.is_dir(),
            "{} is not a crate's source folder",
            src.display()
        );
        let out = Command::new("python3")
            .arg(&script)
            .arg(&src)
            .output()
            .expect("python3 runs scripts/module-cycles.py");
        let printed = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            assert!(
                printed.contains("circle:"),
                "module-cycles.py failed on {krate}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            circles.push(format!("{krate}/src:\n{printed}"));
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

/// The check itself finds a circle when there is one, so a passing run above means something.
#[test]
fn the_circle_check_finds_a_planted_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("a.rs"),
        "use crate::b::x; // crate::c in a comment\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("b.rs"), "pub fn x() { crate::a::y() }\n").expect("write");
    std::fs::write(dir.path().join("c.rs"), "use crate::a::y;\n").expect("write");
    let out = Command::new("python3")
        .arg(root.join("scripts/module-cycles.py"))
        .arg(dir.path())
        .output()
        .expect("python3 runs");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "a planted circle went unnoticed");
    assert!(printed.contains("circle: a <-> b"), "{printed}");
    assert!(!printed.contains("<-> c"), "c only uses a: {printed}");
}
