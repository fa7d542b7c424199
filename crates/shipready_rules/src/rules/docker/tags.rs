//! Reading an image tag: whether it names a version that stays put (`3.12-slim`, `bookworm-slim` on Debian,
//! `20-bullseye`) or a variant or channel that moves to new versions (`latest`, `slim`, `alpine`, `lts`).

/// What an image reference's tag says about the version it pulls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tag {
    /// A version of the image: a version number, or for a distribution image its release (`jammy`).
    Pinned,
    /// No tag at all: Docker pulls `latest`.
    Missing,
    /// `latest`, or a channel such as `lts`, `stable` or `edge` that moves to each new release.
    Channel,
    /// A distribution release on an image that has versions of its own (`python:bookworm`): the base system
    /// stays put, the Python version moves.
    ReleaseOnly,
    /// Only variant words (`slim`, `alpine`): they float like `latest`.
    Variant,
}

/// Distribution release code names, which version a distribution image as a number does.
const RELEASES: &[&str] = &[
    // Debian
    "buster", "bullseye", "bookworm", "trixie", "forky", "stretch", "jessie",
    // Ubuntu
    "xenial", "bionic", "focal", "jammy", "noble", "oracular", "plucky", "mantic", "lunar",
    "kinetic",
];

/// Tags that follow a release train instead of naming a version.
const CHANNELS: &[&str] = &[
    "latest", "lts", "current", "stable", "edge", "nightly", "rolling", "mainline", "testing",
    "unstable", "sid", "devel", "rawhide",
];

/// Distribution images, whose version is the release (`ubuntu:jammy`), and base-system variant words that
/// carry the distribution's version rather than the image's (`alpine3.19`, `static-debian12`).
const DISTRIBUTIONS: &[&str] = &[
    "debian",
    "ubuntu",
    "alpine",
    "buildpack-deps",
    "centos",
    "fedora",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "oraclelinux",
    "ubi",
    "ubi-minimal",
    "opensuse",
    "archlinux",
];

/// Classifies `tag` on the image repository `name` (`python`, `ghcr.io/org/app`).
pub(crate) fn classify(name: &str, tag: Option<&str>) -> Tag {
    let Some(tag) = tag.filter(|t| !t.is_empty()) else {
        return Tag::Missing;
    };
    let tag = tag.to_ascii_lowercase();
    let parts: Vec<&str> = tag
        .split(['-', '_', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.iter().any(|p| CHANNELS.contains(p)) {
        return Tag::Channel;
    }
    let repo = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    let is_distribution = DISTRIBUTIONS.contains(&repo.as_str());
    let names_release = parts.iter().any(|p| RELEASES.contains(p));
    // Digits version the image unless they belong to a base-system word (`alpine3.19` versions Alpine, not
    // Python); on a distribution image they are its version either way.
    let own_version = tag
        .split(['-', '_'])
        .any(|p| p.bytes().any(|b| b.is_ascii_digit()) && (is_distribution || !is_system_word(p)));
    if own_version || (is_distribution && names_release) || versioned_name(&repo) {
        return Tag::Pinned;
    }
    if names_release || tag.split(['-', '_']).any(is_system_word) {
        return Tag::ReleaseOnly;
    }
    Tag::Variant
}

/// `alpine3.19`, `ubi9`, `debian12`: a distribution name followed by its version.
fn is_system_word(part: &str) -> bool {
    let letters = part.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    letters.len() < part.len() && DISTRIBUTIONS.contains(&letters)
}

/// A repository whose name carries the version of its base system (`distroless/static-debian12`): its tags
/// (`nonroot`, `debug`) are variants of that version.
fn versioned_name(repo: &str) -> bool {
    repo.split('-')
        .any(|p| p.bytes().any(|b| b.is_ascii_digit()) && is_system_word(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_distribution_releases_are_pinned() {
        for (name, tag) in [
            ("python", "3.12-slim"),
            ("python", "3.12-bookworm-slim"),
            ("python", "3.12-slim-bookworm"),
            ("debian", "bookworm-slim"),
            ("ubuntu", "jammy"),
            ("docker.io/library/ubuntu", "24.04"),
            ("alpine", "3.19"),
            ("node", "20-bullseye"),
            ("nginx", "1.25-alpine"),
            ("prom/prometheus", "v2.51.0"),
            ("buildpack-deps", "bookworm"),
            ("gcr.io/distroless/static-debian12", "nonroot"),
            ("python", "3.12-alpine3.19"),
        ] {
            assert_eq!(classify(name, Some(tag)), Tag::Pinned, "{name}:{tag}");
        }
    }

    #[test]
    fn variants_channels_and_missing_tags_float() {
        assert_eq!(classify("python", None), Tag::Missing);
        assert_eq!(classify("python", Some("latest")), Tag::Channel);
        assert_eq!(classify("node", Some("lts-alpine3.19")), Tag::Channel);
        assert_eq!(classify("debian", Some("stable-slim")), Tag::Channel);
        assert_eq!(classify("debian", Some("sid")), Tag::Channel);
        assert_eq!(classify("python", Some("slim")), Tag::Variant);
        assert_eq!(classify("node", Some("alpine")), Tag::Variant);
        assert_eq!(classify("python", Some("bookworm")), Tag::ReleaseOnly);
        assert_eq!(classify("python", Some("slim-bookworm")), Tag::ReleaseOnly);
        assert_eq!(classify("python", Some("alpine3.19")), Tag::ReleaseOnly);
    }
}
