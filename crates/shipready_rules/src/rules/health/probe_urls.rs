//! The URLs a probe's text requests on this machine (`curl -f http://localhost:8000/health`, `wget --spider
//! 127.0.0.1/ping`, `urllib.request.urlopen("http://localhost/ready")`), with the exact range of each path so a
//! finding sits on it and a fix can insert into it.

use shipready_text::TextRange;

/// A URL a probe requests on this machine: the path as requested (`/` for none) and where its text is.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct LocalUrl {
    pub path: String,
    /// The path's text (offsets in the scanned text); for a URL with no path, the whole URL.
    pub range: TextRange,
    /// The URL names no path: the fix appends one instead of replacing it.
    pub bare: bool,
}

/// The URLs of `text` whose host is this machine (`localhost`, `127.0.0.1`, `0.0.0.0`, `[::1]`), with or without
/// a scheme. Lines that are comments (`#`) are skipped; paths with a placeholder (`{`, `$`, `%`) are skipped.
pub(crate) fn local_urls(text: &str) -> Vec<LocalUrl> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let base = line_start;
        line_start += line.len();
        if line.trim_start().starts_with('#') {
            continue;
        }
        for token in line.split(is_separator) {
            // The token is a slice of `line`: its offset is the distance between their starts.
            let start = base + (token.as_ptr() as usize - line.as_ptr() as usize);
            let (rest, skipped) = match token
                .strip_prefix("http://")
                .or_else(|| token.strip_prefix("https://"))
            {
                Some(rest) => (rest, token.len() - rest.len()),
                None => (token, 0),
            };
            let slash = rest.find('/').unwrap_or(rest.len());
            let host = rest.get(..slash).unwrap_or("");
            if !is_local(host) {
                continue;
            }
            let tail = rest.get(slash..).unwrap_or("");
            let path = tail.split(['?', '#']).next().unwrap_or("");
            if path.contains(['{', '$', '%']) {
                continue;
            }
            let path_start = start + skipped + slash;
            let trimmed = path.trim_end_matches([';']);
            if trimmed.trim_matches('/').is_empty() {
                out.push(LocalUrl {
                    path: "/".to_owned(),
                    range: TextRange::new(start, start + skipped + slash + trimmed.len()),
                    bare: true,
                });
            } else {
                out.push(LocalUrl {
                    path: trimmed.to_owned(),
                    range: TextRange::new(path_start, path_start + trimmed.len()),
                    bare: false,
                });
            }
        }
    }
    out
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\'' | '`' | '(' | ')' | ',' | '\\' | '=' | '[' | ']'
        )
}

fn is_local(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let name = if host.starts_with('[') {
        host.split(']').next().unwrap_or("").trim_start_matches('[')
    } else {
        host.split(':').next().unwrap_or("")
    };
    matches!(name, "localhost" | "127.0.0.1" | "0.0.0.0" | "::1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(text: &str) -> Vec<(String, &str, bool)> {
        local_urls(text)
            .into_iter()
            .map(|u| {
                let shown = text.get(u.range.start..u.range.end).unwrap_or("?");
                (u.path, shown, u.bare)
            })
            .collect()
    }

    #[test]
    fn local_urls_with_the_range_of_their_path() {
        let text = "CMD curl -f http://localhost:8000/api/health/ || exit 1\n";
        assert_eq!(
            paths(text),
            vec![("/api/health/".to_owned(), "/api/health/", false)]
        );
        let text = "test: [\"CMD\", \"wget\", \"--spider\", \"127.0.0.1:80/ping?x=1\"]\n# curl http://localhost/old\n";
        assert_eq!(paths(text), vec![("/ping".to_owned(), "/ping", false)]);
        let text = "curl -f http://localhost:5000 && curl https://example.com/health\n";
        assert_eq!(
            paths(text),
            vec![("/".to_owned(), "http://localhost:5000", true)]
        );
        assert!(paths("curl http://localhost:8000/{path} http://$HOST/x").is_empty());
    }
}
