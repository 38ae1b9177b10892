//! What the examples' embedded mock OpenCX servers share.

use httpmock::MockServer;

/// The key the examples send to their mock; the mock insists on it.
pub const DEMO_KEY: &str = "demo-key";

/// A running mock; it stops when dropped.
pub struct MockOpenCx {
    server: MockServer,
}

impl MockOpenCx {
    /// Starts a server and lets `register` add its routes, given the
    /// `Authorization` value every route must require.
    pub fn start_with(register: impl FnOnce(&MockServer, &str)) -> Self {
        let server = MockServer::start();
        register(&server, &format!("Bearer {DEMO_KEY}"));
        Self { server }
    }

    /// Where the mock listens (loopback only).
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }
}

/// A value from its generated builder: the generated types are
/// #[non_exhaustive], so code outside the crate builds them this way (or from
/// `Default`).
pub fn page<B, T>(builder: B) -> T
where
    B: TryInto<T>,
    B::Error: std::fmt::Debug,
{
    builder.try_into().expect("every field of the page is set")
}
