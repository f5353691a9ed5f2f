//! Where the scanned code lives, for permalinks: the repository's web address, the commit, and
//! the folder paths are relative to. Read from the command line, the CI's environment
//! (GitHub Actions, GitLab CI) and the local git repository; nothing goes over the network.

use std::path::{Path, PathBuf};

/// How a forge spells a link to a line of a file at a commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LinkStyle {
    /// `https://github.com/o/r/blob/<commit>/<path>#L<line>`
    Github,
    /// `https://gitlab.com/g/r/-/blob/<commit>/<path>#L<line>`
    Gitlab,
}

/// Everything a permalink needs.
#[derive(Clone, Debug)]
pub struct Links {
    /// `https://github.com/dala/shop`, without a trailing slash.
    pub repository: String,
    pub commit: String,
    pub style: LinkStyle,
    /// The repository's top folder, canonical: paths are made relative to it.
    pub root: PathBuf,
    /// The folder shown paths are relative to (the current folder), canonical.
    pub base: PathBuf,
}

impl Links {
    /// A link to `line` of `path` (as shown in findings: relative to the current folder), or
    /// `None` when the file is outside the repository.
    pub fn permalink(&self, path: &str, line: u32) -> Option<String> {
        let full = self.base.join(path);
        let full = std::fs::canonicalize(&full).unwrap_or_else(|_| lexical(&full));
        let relative = full.strip_prefix(&self.root).ok()?;
        let relative: Vec<String> = relative
            .components()
            .map(|c| encode_segment(&c.as_os_str().to_string_lossy()))
            .collect();
        let relative = relative.join("/");
        Some(match self.style {
            LinkStyle::Github => format!(
                "{}/blob/{}/{relative}#L{line}",
                self.repository, self.commit
            ),
            LinkStyle::Gitlab => format!(
                "{}/-/blob/{}/{relative}#L{line}",
                self.repository, self.commit
            ),
        })
    }
}

/// `a/b/../c` → `a/c`, without asking the file system (for a file that is gone).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// A path segment with the characters a URL path cannot hold percent-encoded.
fn encode_segment(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// What the command line says, before filling in from the environment and git.
#[derive(Clone, Debug, Default)]
pub struct LinkRequest {
    pub repo_url: Option<String>,
    pub commit: Option<String>,
    pub style: Option<LinkStyle>,
}

/// The repository's address, commit and top folder for the code at `scanned`, from the
/// request, then the CI's environment, then git. The commit is `None` when nothing tells it;
/// links are `None` unless the address and the commit are both known.
pub fn resolve(request: &LinkRequest, scanned: &Path) -> (Option<Links>, Option<String>) {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let dir = if scanned.is_dir() {
        scanned.to_path_buf()
    } else {
        scanned
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let git = |args: &[&str]| -> Option<String> {
        let out = crate::gate::git(args, Some(&dir)).ok()?;
        out.status
            .success()
            .then(|| crate::gate::stdout_line(&out))
            .filter(|s| !s.is_empty())
    };
    let commit = request
        .commit
        .clone()
        .or_else(|| git(&["rev-parse", "HEAD"]))
        .or_else(|| env("GITHUB_SHA"))
        .or_else(|| env("CI_COMMIT_SHA"));
    let repository = request
        .repo_url
        .clone()
        .or_else(|| {
            env("GITHUB_REPOSITORY").map(|r| {
                format!(
                    "{}/{r}",
                    env("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".into())
                )
            })
        })
        .or_else(|| env("CI_PROJECT_URL"))
        .or_else(|| git(&["remote", "get-url", "origin"]).and_then(|u| web_address(&u)))
        .and_then(|u| normalise(&u));
    let root = git(&["rev-parse", "--show-toplevel"])
        .map(PathBuf::from)
        .unwrap_or(dir);
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let base = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let base = std::fs::canonicalize(&base).unwrap_or(base);
    let links = match (repository, commit.clone()) {
        (Some(repository), Some(commit)) => {
            let style = request.style.unwrap_or_else(|| {
                if url::Url::parse(&repository)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_string))
                    .is_some_and(|h| h.contains("gitlab"))
                {
                    LinkStyle::Gitlab
                } else {
                    LinkStyle::Github
                }
            });
            Some(Links {
                repository,
                commit,
                style,
                root,
                base,
            })
        }
        _ => None,
    };
    (links, commit)
}

/// A repository address as links use it: an http(s) URL, percent-encoded where a URL must be
/// (so no quote or angle bracket survives into a report), without credentials, a trailing
/// slash or `.git`. `None` for anything else.
pub fn normalise(address: &str) -> Option<String> {
    let mut url = url::Url::parse(address.trim()).ok()?;
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none() {
        return None;
    }
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
    Some(
        url.as_str()
            .trim_end_matches('/')
            .trim_end_matches(".git")
            .to_string(),
    )
}

/// The web address of a git remote: `git@github.com:o/r.git` → `https://github.com/o/r`;
/// `https://user:token@host/o/r.git` → `https://host/o/r`. `None` for local paths.
pub fn web_address(remote: &str) -> Option<String> {
    let remote = remote.trim();
    if let Ok(mut url) = url::Url::parse(remote)
        && matches!(url.scheme(), "https" | "http" | "ssh")
        && url.host_str().is_some()
    {
        let _ = url.set_username("");
        let _ = url.set_password(None);
        let host = url.host_str()?.to_string();
        let path = url.path().trim_end_matches(".git").to_string();
        return Some(format!("https://{host}{path}"));
    }
    // scp-like: user@host:path
    let (user_host, path) = remote.split_once(':')?;
    if path.starts_with('/') || user_host.contains('/') {
        return None;
    }
    let host = user_host.rsplit('@').next()?;
    Some(format!(
        "https://{host}/{}",
        path.trim_end_matches(".git").trim_start_matches('/')
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_become_web_addresses_without_credentials() {
        assert_eq!(
            web_address("git@github.com:dala/shop.git").as_deref(),
            Some("https://github.com/dala/shop")
        );
        assert_eq!(
            web_address("https://bot:secret@gitlab.example.kz/team/shop.git").as_deref(),
            Some("https://gitlab.example.kz/team/shop")
        );
        assert_eq!(
            web_address("ssh://git@github.com/dala/shop.git").as_deref(),
            Some("https://github.com/dala/shop")
        );
        assert_eq!(web_address("/srv/git/shop.git"), None);
        assert_eq!(
            normalise("https://example.com/a\"<b>/").as_deref(),
            Some("https://example.com/a%22%3Cb%3E")
        );
        assert_eq!(normalise("javascript:alert(1)"), None);
        assert_eq!(web_address("../shop"), None);
    }

    #[test]
    fn permalinks_in_both_styles_with_encoded_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("src/my app")).unwrap();
        std::fs::write(root.join("src/my app/views.py"), "x\n").unwrap();
        let mut links = Links {
            repository: "https://github.com/dala/shop".into(),
            commit: "abc123".into(),
            style: LinkStyle::Github,
            root: root.clone(),
            base: root.join("src"),
        };
        assert_eq!(
            links.permalink("my app/views.py", 7).as_deref(),
            Some("https://github.com/dala/shop/blob/abc123/src/my%20app/views.py#L7")
        );
        links.style = LinkStyle::Gitlab;
        assert_eq!(
            links.permalink("my app/views.py", 7).as_deref(),
            Some("https://github.com/dala/shop/-/blob/abc123/src/my%20app/views.py#L7")
        );
        assert_eq!(links.permalink("../../outside.py", 1), None);
    }
}
