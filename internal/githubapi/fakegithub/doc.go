// Package fakegithub is an in-memory GitHub for tests: an httptest server
// that serves the REST endpoints tracegate uses under /api/v3/, as GitHub
// Enterprise Server does, so that go-github's WithEnterpriseURLs (and
// githubapi.NewClient with APIURL set to APIURL()) talk to it unchanged.
//
// Its answers follow GitHub's OpenAPI description (the shapes of issue,
// pull-request, commit and basic-error, the Link pagination header, the
// rate-limit headers), checked by TestOpenAPI against @octokit/openapi
// when TRACEGATE_OPENAPI names the spec file. It logs every request so
// tests can count API calls, checks the bearer token, and injects faults
// (rate limits, server errors) with FailNext and Inject.
//
// To serve another endpoint, add its state and a handler, register it with
// Handle (the handler gets the log, token check and faults for free), and
// add its shape to TestOpenAPI.
package fakegithub
