//! A crash never loses a committed write: a client streams writes, the server is SIGKILLed
//! mid-stream, restarted, and every acknowledged write is in the log (REST) and in SPARQL.

use danhmuc_e2e::{BACKENDS, Server};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

#[test]
fn sigkill_loses_no_acknowledged_write() {
    for backend in BACKENDS {
        let mut s = Server::start(backend, &[]);
        s.agency("a", "Cơ quan A");
        let token = s.token("editor", "a");
        let acked: Arc<Mutex<Vec<(String, String, usize)>>> = Arc::new(Mutex::new(Vec::new()));
        let url = s.url.clone();
        let writer = {
            let acked = acked.clone();
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::builder()
                    .timeout(std::time::Duration::from_secs(10))
                    .build()
                    .expect("client");
                for i in 0..100_000usize {
                    let body = json!({"type": "Dataset", "title": {"vi": format!("Bản ghi bền vững {i}")}, "description": {"vi": "Ghi bền vững"}}).to_string();
                    let r = client
                        .post(format!("{url}/api/v1/datasets"))
                        .header("content-type", "application/json")
                        .bearer_auth(&token)
                        .body(body)
                        .send();
                    match r {
                        Ok(r) if r.status().as_u16() == 201 => {
                            let v: Value = r.json().expect("json");
                            acked.lock().expect("lock").push((
                                v["id"].as_str().expect("id").to_owned(),
                                v["iri"].as_str().expect("iri").to_owned(),
                                i,
                            ));
                        }
                        _ => break, // the server is gone
                    }
                }
            })
        };
        // let some writes land, then kill without warning
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while acked.lock().expect("lock").len() < 30 {
            assert!(
                std::time::Instant::now() < deadline,
                "the writer stopped before 30 writes"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        s.kill();
        writer.join().expect("writer");
        let acked = acked.lock().expect("lock").clone();
        assert!(acked.len() >= 30);
        s.restart();
        for (id, iri, i) in &acked {
            let r = s.get(&format!("/api/v1/datasets/{id}"), None);
            assert_eq!(
                r.status().as_u16(),
                200,
                "{backend:?}: acknowledged write {i} lost from the log"
            );
            let v: Value = r.json().expect("json");
            assert_eq!(v["title"]["vi"], format!("Bản ghi bền vững {i}"));
            let ask = s.sparql(&format!("ASK {{ GRAPH <{iri}> {{ <{iri}> <http://purl.org/dc/terms/title> \"Bản ghi bền vững {i}\"@vi }} }}"), None);
            assert_eq!(
                ask["boolean"], true,
                "{backend:?}: acknowledged write {i} missing from SPARQL"
            );
        }
        let count = s.sparql(
            "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }",
            None,
        );
        let n: usize = count["results"]["bindings"][0]["n"]["value"]
            .as_str()
            .expect("n")
            .parse()
            .expect("number");
        assert!(
            n >= acked.len(),
            "SPARQL has {n} datasets, {} acknowledged",
            acked.len()
        );
    }
}
