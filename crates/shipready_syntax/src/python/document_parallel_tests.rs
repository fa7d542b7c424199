//! Extraction on two threads (as modules of 64 KiB and more are extracted) gives the same facts, and records
//! the same reads and needles, as extraction on one: for every Python file of the fixtures, and for the
//! benchmark's shape of module.

use super::*;

fn extracted(doc: &PythonDocument, parallel: bool) -> (PythonFacts, Reads) {
    reads::recorded(doc.text().len(), || {
        ts::memoized(|| doc.extract_from_tree(parallel))
    })
}

#[test]
fn two_threads_extract_and_record_what_one_does() {
    let mut sources: Vec<String> = crate::test_fixtures::python_sources()
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    let mut large = String::from("from fastapi import APIRouter\nimport redis\n\nrouter = APIRouter()\ncache = redis.Redis()\n");
    for i in 0..300 {
        large.push_str(&format!("\n@router.get(\"/things/{i}\")\nasync def thing_{i}(q: str | None = None):\n    cache.get(q)\n    return {{\"id\": {i}}}\n"));
    }
    sources.push(large);
    assert!(sources.len() > 100);
    for text in &sources {
        let doc = PythonDocument::new(text);
        let (one, one_read) = extracted(&doc, false);
        let (two, two_read) = extracted(&doc, true);
        assert_eq!(one, two, "{text}");
        assert_eq!(one_read.ranges(), two_read.ranges(), "{text}");
        let needles = |r: &Reads| {
            let mut n = r.needles().to_vec();
            n.sort();
            n
        };
        assert_eq!(needles(&one_read), needles(&two_read), "{text}");
    }
}

/// Extraction from a thread outside rayon's pool (the server's publisher) records what it reads too: both halves
/// then run on pool threads.
#[test]
fn a_caller_outside_the_pool_records_the_reads_of_both_halves() {
    let text = "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/health\")\ndef h():\n    return {}\n";
    let doc = PythonDocument::new(text);
    let (_, here) = extracted(&doc, false);
    let outside = std::thread::spawn(move || extracted(&doc, true).1)
        .join()
        .expect("extraction panicked");
    assert!(!here.ranges().is_empty());
    assert_eq!(here.ranges(), outside.ranges());
}
