//! The context of a retrieval or of a received cookie: everything the jar needs to know about
//! a request besides its URI (§5.2, §5.7 step 18, §5.8.3 step 3).

/// Which kind of API hands the cookie to the jar or asks for the cookie-string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Api {
    /// HTTP: Set-Cookie header fields of a response, the Cookie header field of a request.
    #[default]
    Http,
    /// A "non-HTTP" API such as `document.cookie` (§5.8.2).
    NonHttp,
}

/// The "site for cookies" of the request's client (§5.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum SiteForCookies {
    /// The request has no client (or a null client): it is same-site by §5.2 criterion 2.
    /// A navigation typed into the address bar is such a request.
    #[default]
    NoClient,
    /// The site for cookies is this origin, given as a URL (only scheme and host are used).
    Origin(String),
    /// The site for cookies is an opaque origin, as for a document nested in a cross-site frame
    /// (§5.2.1): every request from it is cross-site.
    Opaque,
}

/// Everything about a request or a script call that the jar needs besides the URI.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Context {
    /// HTTP or a non-HTTP API.
    pub api: Api,
    /// The client's site for cookies (§5.2).
    pub site_for_cookies: SiteForCookies,
    /// Whether the request navigates a top-level traversable (§5.7 step 18.3, §5.8.3 step 3).
    pub top_level_navigation: bool,
    /// The request method; GET, HEAD, OPTIONS and TRACE are "safe" (RFC 9110 §9.2.1).
    pub method: String,
    /// The URL of the top-level document, when it differs from what the site for cookies says
    /// (an opaque site for cookies hides it). It determines the partition key (CHIPS) and
    /// whether the request is third-party. `None`: the site for cookies' origin, or for a
    /// request without a client the request's own URI.
    pub top_level: Option<String>,
}

impl Default for Context {
    fn default() -> Self {
        Context {
            api: Api::Http,
            site_for_cookies: SiteForCookies::NoClient,
            top_level_navigation: false,
            method: "GET".to_owned(),
            top_level: None,
        }
    }
}

impl Context {
    /// A same-site HTTP request (no client), method GET, not a top-level navigation.
    pub fn http() -> Self {
        Context::default()
    }

    /// A top-level navigation with no client (the address bar), method GET.
    pub fn navigation() -> Self {
        Context { top_level_navigation: true, ..Context::default() }
    }

    /// A non-HTTP (script) API call from a document displayed in a top-level traversable.
    pub fn script() -> Self {
        Context { api: Api::NonHttp, ..Context::default() }
    }

    /// A request whose client's site for cookies is `origin` (a URL).
    pub fn from_site(origin: &str) -> Self {
        Context { site_for_cookies: SiteForCookies::Origin(origin.to_owned()), ..Context::default() }
    }

    /// Whether the method is "safe" in the RFC 9110 §9.2.1 sense. Methods are case-sensitive.
    pub fn is_safe_method(&self) -> bool {
        matches!(self.method.as_str(), "GET" | "HEAD" | "OPTIONS" | "TRACE")
    }
}
