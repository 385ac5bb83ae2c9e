package sbom

import (
	"errors"
	"strings"

	gordf "github.com/spdx/gordf/rdfloader/parser"

	"github.com/tracegate/tracegate/internal/input"
)

// spdxTurtle reads SPDX 2.2 and 2.3 RDF written in Turtle syntax, as
// spdx/tools-java (Jena) and rdflib convert documents to: the triples the
// Turtle parser (turtle.go) reads go to tools-golang's RDF reader, as
// gordf's triples of RDF/XML do, and the packages that reader leaves out
// are read from the triples as for RDF/XML (fromRDF). What tools-golang's
// reader refuses in SPDX 2.3 is repaired in the triples, each repair a
// counted warning: checksums of the algorithms 2.3 added are skipped,
// relationship types it does not know are read as OTHER, and properties it
// does not know are removed.
type spdxTurtle struct{}

func (spdxTurtle) decode(src *source) (*parsed, error) {
	triples, at, err := parseTurtle(src.data)
	if err != nil {
		var te *turtleError
		if errors.As(err, &te) {
			return nil, input.Errorf(src.posAt(te.off), "invalid Turtle: %s", te.msg)
		}
		return nil, input.Errorf(src.pos(), "invalid Turtle: %v", err)
	}
	posOf := func(t *gordf.Triple) input.Pos { return src.posAt(at[t]) }
	version, vpos := "", src.pos()
	for _, t := range triples {
		if t.Predicate.ID == nsSPDX+"specVersion" && t.Object.NodeType == gordf.LITERAL {
			version, vpos = strings.TrimSpace(t.Object.ID), posOf(t)
			break
		}
	}
	switch version {
	case "SPDX-2.2", "SPDX-2.3":
	case "":
		return nil, input.Errorf(vpos, "Turtle document without spdx:specVersion: not an SPDX 2 RDF document").
			WithHint("tracegate reads SPDX-2.2 and SPDX-2.3 RDF in Turtle or RDF/XML")
	default:
		return nil, input.Errorf(vpos, "%s RDF is not supported (tools-golang reads SPDX 2.2 and 2.3 RDF)", version).
			WithHint("convert the document to SPDX JSON or tag-value")
	}
	src.version = version
	parser := gordf.New()
	removed := map[string]bool{}
	for range maxRDFRemovals + 2 {
		parser.Triples = triples
		doc, err := loadRDF(version, parser)
		if err == nil {
			p, lost := fromRDF(src, doc, parser)
			if p != nil && p.version == "" {
				p.version = version
			}
			return p, lost
		}
		var kept []*gordf.Triple
		switch rt := unknownRelType().FindStringSubmatch(err.Error()); {
		case strings.Contains(err.Error(), "checksum algorithm") && !removed["checksum"]:
			removed["checksum"] = true
			kept = skipChecksums(src, triples, posOf)
		case rt != nil && !removed["type:"+rt[1]]:
			removed["type:"+rt[1]] = true
			kept = otherRelType(src, triples, rt[1], posOf)
		default:
			iri := unknownPredicate(err)
			if iri == "" || removed[iri] {
				return nil, input.Errorf(src.pos(), "cannot read SPDX RDF (Turtle): %v", err).
					WithHint("convert the document to SPDX JSON or tag-value")
			}
			removed[iri] = true
			kept = removePredicate(src, triples, iri, posOf)
		}
		triples = kept
	}
	return nil, input.Errorf(src.pos(), "cannot read SPDX RDF (Turtle): too many properties tools-golang's RDF reader does not know").
		WithHint("convert the document to SPDX JSON or tag-value")
}

// skipChecksums drops the checksum links whose algorithm tools-golang's
// RDF reader does not know. posOf says where a triple was written.
func skipChecksums(src *source, triples []*gordf.Triple, posOf func(*gordf.Triple) input.Pos) []*gordf.Triple {
	alg := map[string]string{}
	for _, t := range triples {
		if t.Predicate.ID == nsSPDX+"algorithm" {
			_, a, _ := strings.Cut(t.Object.ID, "checksumAlgorithm_")
			alg[t.Subject.ID] = a
		}
	}
	var out []*gordf.Triple
	for _, t := range triples {
		if t.Predicate.ID == nsSPDX+"checksum" {
			if a := alg[t.Object.ID]; a != "" && !rdfChecksumAlgorithms[strings.ToLower(a)] {
				src.notes.add("rdf-checksum", posOf(t), quote(a))
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

// otherRelType reads relationships of a type tools-golang does not know
// as OTHER (neither is a dependency).
func otherRelType(src *source, triples []*gordf.Triple, name string, posOf func(*gordf.Triple) input.Pos) []*gordf.Triple {
	iri := nsSPDX + "relationshipType_" + name
	out := make([]*gordf.Triple, len(triples))
	for i, t := range triples {
		out[i] = t
		if t.Predicate.ID == nsSPDX+"relationshipType" && t.Object.ID == iri {
			src.notes.add("rdf-reltype", posOf(t), quote(name))
			c := *t
			c.Object = &gordf.Node{NodeType: t.Object.NodeType, ID: nsSPDX + "relationshipType_other"}
			out[i] = &c
		}
	}
	return out
}

// removePredicate removes every triple of a property tools-golang does not
// know, with one warning.
func removePredicate(src *source, triples []*gordf.Triple, iri string, posOf func(*gordf.Triple) input.Pos) []*gordf.Triple {
	var out []*gordf.Triple
	n, first := 0, src.pos()
	for _, t := range triples {
		if t.Predicate.ID == iri {
			if n == 0 {
				first = posOf(t)
			}
			n++
			continue
		}
		out = append(out, t)
	}
	src.notes.warnf(first, "removed %d %s properties: tools-golang's RDF reader does not know the property and rejects the document with it", n, iri)
	return out
}
