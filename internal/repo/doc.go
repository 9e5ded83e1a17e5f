// Package repo has no code of its own: its tests keep the repository's own
// documents and scripts true. Every link in the markdown resolves inside the
// repository (a clone or a package has nothing beside it); every path and
// Go identifier a guide names in backticks still exists; nothing points to
// design documents outside the repository; and `make test` never installs a
// system package (the bench smoke run skips, saying why, when a tool is
// missing).
package repo
