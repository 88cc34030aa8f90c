// Marker only: the helper builds in GOPATH mode (GO111MODULE=off) against Debian's
// /usr/share/gocode. Go's minimal module compatibility resolves github.com/sylabs/sif/v2
// only for code in a tree that has a go.mod.
module sifref

go 1.19
