// Package spec holds what the models must satisfy: their properties, the
// RFC state diagrams as data, and the named protocol variants with the
// verdicts each is expected to get. TCP, TCPAbstract and TLS give each
// model's catalog entry, which the command-line tool lists.
package spec

import "github.com/handshake/handshake/catalog"

// Param, Variant and Entry are the catalog's types, under the names the
// model files of this package use.
type (
	Param   = catalog.Param
	Variant = catalog.Variant
	Entry   = catalog.Entry
)
