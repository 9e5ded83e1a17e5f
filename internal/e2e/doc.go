// Package e2e holds the end-to-end tests: they build portald and portalctl,
// start a real portald on fresh demo data on a free loopback port, and run
// portalctl as a subprocess the way a shell user, a cron job or a CI job
// would, checking stdout, stderr and the exit code.
package e2e
