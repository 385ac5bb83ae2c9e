package soupdoc

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tracegate/tracegate/internal/soup"
)

const cdxSchemaDir = "../../../testdata/cyclonedx-schema"

var (
	cdxSchema     *jsonschema.Schema
	cdxSchemaErr  error
	cdxSchemaOnce sync.Once
)

// conformsToCycloneDX validates a BOM against the CycloneDX 1.6 JSON
// schema; the two schemas it refers to are registered under their $id,
// so nothing is fetched.
func conformsToCycloneDX(t testing.TB, bom []byte) {
	t.Helper()
	if err := validateCycloneDX(bom); err != nil {
		t.Fatal(err)
	}
}

func validateCycloneDX(bom []byte) error {
	cdxSchemaOnce.Do(func() {
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		for _, name := range []string{"bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"} {
			f, err := os.Open(filepath.Join(cdxSchemaDir, name))
			if err != nil {
				cdxSchemaErr = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(f)
			f.Close()
			if err != nil {
				cdxSchemaErr = err
				return
			}
			if err := c.AddResource("http://cyclonedx.org/schema/"+name, doc); err != nil {
				cdxSchemaErr = err
				return
			}
		}
		cdxSchema, cdxSchemaErr = c.Compile("http://cyclonedx.org/schema/bom-1.6.schema.json")
	})
	if cdxSchemaErr != nil {
		return fmt.Errorf("the CycloneDX schema: %w", cdxSchemaErr)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(bom))
	if err != nil {
		return fmt.Errorf("the BOM is not JSON: %w", err)
	}
	if err := cdxSchema.Validate(v); err != nil {
		return fmt.Errorf("the BOM does not conform to CycloneDX 1.6: %w", err)
	}
	return nil
}

// TestCycloneDXSchemaCatchesErrors: the schema check is not a formality.
func TestCycloneDXSchemaCatchesErrors(t *testing.T) {
	good := string(renderSOUP(t, sampleSOUP(), "cyclonedx", sampleOpts))
	for name, bad := range map[string]string{
		"serial":    strings.Replace(good, `"serialNumber": "urn:uuid:`, `"serialNumber": "urn:x:`, 1),
		"type":      strings.Replace(good, `"type": "library"`, `"type": "gadget"`, 1),
		"timestamp": strings.Replace(good, `"timestamp": "2026-03-14T09:26:53Z"`, `"timestamp": "yesterday"`, 1),
		"state":     strings.Replace(good, `"state": "not_affected"`, `"state": "fine"`, 1),
		"spdx":      strings.Replace(good, `"tools": {`, `"licenses": [{"license": {"id": "Not-A-License"}}], "tools": {`, 1),
	} {
		if bad == good {
			t.Fatalf("%s: the mutation did not apply", name)
		}
		if err := validateCycloneDX([]byte(bad)); err == nil {
			t.Errorf("%s: an invalid BOM passes the schema", name)
		}
	}
}

func decodeBOM(t testing.TB, b []byte) *cdx.BOM {
	t.Helper()
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(b), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		t.Fatalf("cyclonedx-go cannot decode the BOM: %v", err)
	}
	return &bom
}

// propsOf gathers properties by name.
func propsOf(p *[]cdx.Property) map[string][]string {
	out := map[string][]string{}
	if p != nil {
		for _, x := range *p {
			out[x.Name] = append(out[x.Name], x.Value)
		}
	}
	return out
}

func TestSOUPCycloneDX(t *testing.T) {
	l := sampleSOUP()
	out := renderSOUP(t, l, "cyclonedx", sampleOpts)
	conformsToCycloneDX(t, out)
	bom := decodeBOM(t, out)

	if bom.SpecVersion != cdx.SpecVersion1_6 || bom.BOMFormat != "CycloneDX" || bom.Version != 1 ||
		!regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(bom.SerialNumber) {
		t.Errorf("header: spec %v, format %q, version %d, serial %q", bom.SpecVersion, bom.BOMFormat, bom.Version, bom.SerialNumber)
	}
	md := bom.Metadata
	if md.Timestamp != "2026-03-14T09:26:53Z" {
		t.Errorf("timestamp = %q", md.Timestamp)
	}
	if tools := *md.Tools.Components; len(tools) != 1 || tools[0].Name != "tracegate" || tools[0].Version != "1.4.0" ||
		propsOf(tools[0].Properties)["tracegate:commit"][0] != "0123456789abcdef0123" {
		t.Errorf("tools = %+v", tools)
	}
	if p := md.Component; p == nil || p.Name != "pump-app" || p.Version != "3.2.0" || p.PackageURL != "pkg:generic/pump-app@3.2.0" ||
		p.Type != cdx.ComponentTypeApplication || p.Description != "Infusion pump app" {
		t.Errorf("metadata.component = %+v", p)
	}
	mp := propsOf(md.Properties)
	if mp["tracegate:soup:register"][0] != "soup.yml" || mp["tracegate:osv:source"][0] != "https://api.osv.dev" || mp["tracegate:osv:at"][0] != "2026-03-14T08:00:00Z" ||
		len(mp["tracegate:sbom:document"]) != 3 || mp["tracegate:soup:stale_register_entry"][0] != "left-pad (pkg:npm/left-pad)" {
		t.Errorf("metadata properties = %v", mp)
	}

	comps := *bom.Components
	if len(comps) != len(l.Components) {
		t.Fatalf("%d components, want %d", len(comps), len(l.Components))
	}
	refs := map[string]*cdx.Component{}
	for i := range comps {
		c := &comps[i]
		if c.BOMRef == "" || refs[c.BOMRef] != nil || c.BOMRef == md.Component.BOMRef {
			t.Errorf("bom-ref %q is empty or not unique", c.BOMRef)
		}
		refs[c.BOMRef] = c
	}
	hostile, device, lodash, requests, zlib := comps[0], comps[1], comps[2], comps[4], comps[5]
	if hostile.Name != hostileName || hostile.Group != "@evil" || hostile.BOMRef != "pkg:npm/%40evil/x@1.0" || hostile.CPE != "cpe:2.3:a:evil:x:1.0:*:*:*:*:*:*:*" ||
		propsOf(hostile.Properties)["tracegate:sbom:cpe"][0] != "@cpe" || hostile.Supplier == nil || hostile.Supplier.Name != hostileSupplier {
		t.Errorf("hostile component = %+v", hostile)
	}
	hp := propsOf(hostile.Properties)
	if hp["tracegate:soup:status"][0] != "not-registered" || hp["tracegate:soup:registered"][0] != "false" || hp["tracegate:osv:status"][0] != "not-checked" ||
		hp["tracegate:osv:reason"][0] != "the purl type \"npm\" version is not <valid>" || hp["tracegate:soup:purpose"] != nil {
		t.Errorf("hostile properties = %v", hp)
	}
	if device.Type != cdx.ComponentTypeDevice || propsOf(device.Properties)["tracegate:soup:status"][0] != "not-soup" {
		t.Errorf("device = %+v", device)
	}
	if lodash.Licenses == nil || len(*lodash.Licenses) != 1 || (*lodash.Licenses)[0].Expression != "MIT" ||
		lodash.Evidence == nil || (*lodash.Evidence.Licenses)[0].Expression != "CC0-1.0" {
		t.Errorf("lodash licenses = %+v, evidence %+v", lodash.Licenses, lodash.Evidence)
	}
	if requests.Licenses == nil || (*requests.Licenses)[0].Expression != "Apache-2.0" || *(*requests.Licenses)[0].Acknowledgement != cdx.LicenseAcknowledgementDeclared ||
		requests.Authors == nil || (*requests.Authors)[0].Name != "Kenneth Reitz" || requests.Supplier != nil {
		t.Errorf("requests licenses %+v, authors %+v, supplier %+v", requests.Licenses, requests.Authors, requests.Supplier)
	}
	rp := propsOf(requests.Properties)
	for name, want := range map[string]string{
		"tracegate:soup:status": "registered", "tracegate:soup:registered": "true", "tracegate:soup:purpose": "HTTP client for the cloud upload",
		"tracegate:soup:requirements": "TLS 1.2+\nverifies certificates", "tracegate:soup:environment": "CPython 3.11 on Linux",
		"tracegate:soup:risk_level": "medium", "tracegate:soup:verification": "integration tests TC-12", "tracegate:soup:item": "uploader",
		"tracegate:soup:source": "soup.yml:3", "tracegate:soup:anomaly_review:version": "2.30.0", "tracegate:soup:anomaly_review:date": "2026-02-01",
		"tracegate:soup:anomaly_review:reviewer": "J. Doe", "tracegate:soup:anomaly_review:covers_version_in_use": "true",
		"tracegate:soup:dependency": "direct", "tracegate:osv:status": "checked", "tracegate:osv:withdrawn": "GHSA-old-withdrawn",
	} {
		if got := rp[name]; len(got) != 1 || got[0] != want {
			t.Errorf("requests %s = %q, want %q", name, got, want)
		}
	}
	if zp := propsOf(zlib.Properties); zp["tracegate:soup:manufacturer"][0] != "Jean-loup Gailly and Mark Adler" || zp["tracegate:soup:supplier_source"][0] != "register manufacturer" ||
		zp["tracegate:soup:anomaly_review:covers_version_in_use"][0] != "false" || zlib.Supplier.Name != "SBOM Supplier Inc" {
		t.Errorf("zlib: supplier %+v, properties %v", zlib.Supplier, zp)
	}

	vulns := *bom.Vulnerabilities
	byID := map[string]cdx.Vulnerability{}
	for _, v := range vulns {
		if v.Affects == nil || len(*v.Affects) != 1 || refs[(*v.Affects)[0].Ref] == nil {
			t.Errorf("%s affects %+v, not one component of the BOM", v.ID, v.Affects)
		}
		byID[v.ID] = v
	}
	if len(vulns) != 4 || byID["GHSA-old-withdrawn"].ID != "" {
		t.Errorf("%d vulnerabilities, want the 4 anomalies without the withdrawn record", len(vulns))
	}
	py := byID["PYSEC-2023-74"]
	if py.Analysis == nil || py.Analysis.State != cdx.IASNotAffected || py.Analysis.Detail != "not applicable: no proxies are configured" ||
		(*py.Affects)[0].Ref != requests.BOMRef || (*(*py.Affects)[0].Range)[0].Version != "2.30.0" || (*(*py.Affects)[0].Range)[0].Status != cdx.VulnerabilityStatusAffected ||
		py.Source.URL != "https://osv.dev/vulnerability/PYSEC-2023-74" || len(*py.References) != 2 || (*py.References)[0].ID != "CVE-2023-32681" ||
		py.Published != "2023-05-22T00:00:00Z" || py.Updated != "2024-01-02T03:04:05Z" {
		t.Errorf("PYSEC-2023-74 = %+v", py)
	}
	if r := *py.Ratings; len(r) != 2 || r[0].Method != cdx.ScoringMethodCVSSv31 || r[0].Vector != "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N" ||
		r[1].Severity != cdx.SeverityMedium || r[1].Method != cdx.ScoringMethodOther {
		t.Errorf("PYSEC ratings = %+v", r)
	}
	if g := byID["GHSA-9wx4-h78v-vm56"]; g.Analysis != nil || propsOf(g.Properties)["tracegate:soup:anomaly_review:assessed"][0] != notAssessed ||
		(*g.Ratings)[0].Method != cdx.ScoringMethodCVSSv4 {
		t.Errorf("unassessed anomaly = %+v", g)
	}
	// A review of 4.17.19 does not count for 4.17.20, whatever it says.
	if g := byID["GHSA-35jh-r3h4-6jhm"]; g.Analysis != nil || propsOf(g.Properties)["tracegate:soup:anomaly_review:assessed"][0] != assessedOtherVersion ||
		propsOf(g.Properties)["tracegate:soup:anomaly_review:assessment"][0] != "mitigated by RC-004" || (*g.Affects)[0].Ref != lodash.BOMRef {
		t.Errorf("anomaly assessed for another version = %+v", g)
	}
	if o := byID["OSV-2099-1"]; (*(*o.Affects)[0].Range)[0].Status != cdx.VulnerabilityStatusUnknown || propsOf(o.Properties)["tracegate:osv:match"][0] != "indeterminate" {
		t.Errorf("indeterminate anomaly = %+v", o)
	}
}

func TestSOUPCycloneDXSerialNamesTheContent(t *testing.T) {
	a := decodeBOM(t, renderSOUP(t, sampleSOUP(), "cyclonedx", sampleOpts)).SerialNumber
	l := sampleSOUP()
	l.Components[4].Register.Purpose = "HTTP client"
	b := decodeBOM(t, renderSOUP(t, l, "cyclonedx", sampleOpts)).SerialNumber
	if a == b {
		t.Error("two different BOMs have the same serial number")
	}
}

func TestSOUPCycloneDXEdgeCases(t *testing.T) {
	l := sampleSOUP()
	// Two components with the same key, one with a version too long for
	// CycloneDX, a name that is a reserved bom-ref, an unnamed component.
	dup := l.Components[5]
	dup.Licenses, dup.Component.Licenses = []string{"MIT", "BSD-3-Clause"}, nil
	huge := l.Components[3]
	huge.Version = strings.Repeat("9", 2000)
	reserved := soup.ListEntry{Name: productRef, Licenses: []string{}}
	unnamed := soup.ListEntry{Licenses: []string{}, Type: "source"}
	l.Components = append(l.Components, dup, huge, reserved, unnamed)
	l.Documents = append(l.Documents, soup.Document{File: "b.json", Root: "pkg:npm/other@1"})
	out := renderSOUP(t, l, "cyclonedx", Options{})
	conformsToCycloneDX(t, out)
	bom := decodeBOM(t, out)
	comps := *bom.Components
	if comps[6].BOMRef != "pkg:generic/zlib@1.3.1#2" || len(*comps[6].Licenses) != 2 || (*comps[6].Licenses)[1].License.Name != "BSD-3-Clause" {
		t.Errorf("duplicate: ref %q, licenses %+v", comps[6].BOMRef, comps[6].Licenses)
	}
	if comps[7].Version != "" || len(propsOf(comps[7].Properties)["tracegate:sbom:version"][0]) != 2000 {
		t.Errorf("a version too long for CycloneDX is not kept aside")
	}
	if comps[8].BOMRef == productRef || comps[9].BOMRef != "(unnamed)" || comps[9].Type != cdx.ComponentTypeLibrary ||
		propsOf(comps[9].Properties)["tracegate:sbom:type"][0] != "source" {
		t.Errorf("refs %q, %q; unnamed %+v", comps[8].BOMRef, comps[9].BOMRef, comps[9])
	}
	if p := bom.Metadata.Component; p == nil || p.Name != "pkg:generic/pump-app@3.2.0, pkg:npm/other@1" || len(propsOf(p.Properties)["tracegate:sbom:root"]) != 2 {
		t.Errorf("two roots: metadata.component = %+v", p)
	}
	if bom.Metadata.Timestamp != "" {
		t.Errorf("a timestamp without Generated: %q", bom.Metadata.Timestamp)
	}
	// No product at all: no metadata.component.
	empty := &soup.List{Schema: soup.ListSchema}
	out = renderSOUP(t, empty, "cyclonedx", Options{})
	conformsToCycloneDX(t, out)
	if bom := decodeBOM(t, out); bom.Metadata.Component != nil || bom.Components != nil || propsOf(bom.Metadata.Properties)["tracegate:osv:status"][0] != lookupNotMade {
		t.Errorf("empty list: %+v", bom.Metadata)
	}
}

func TestAnalysisState(t *testing.T) {
	for _, tc := range []struct {
		text  string
		state cdx.ImpactAnalysisState
		just  cdx.ImpactAnalysisJustification
	}{
		{"not applicable: no proxies are configured", cdx.IASNotAffected, ""},
		{"Not Applicable", cdx.IASNotAffected, ""},
		{"not_affected", cdx.IASNotAffected, ""},
		{"Mitigated by RC-004", cdx.IASNotAffected, cdx.IAJProtectedByMitigatingControl},
		{"protected by input validation (RC-7)", cdx.IASNotAffected, cdx.IAJProtectedByMitigatingControl},
		{"false-positive", cdx.IASFalsePositive, ""},
		{"fixed in our fork", cdx.IASResolved, ""},
		{"Risk accepted by the board", cdx.IASExploitable, ""},
		{"affected", cdx.IASExploitable, ""},
		// Never more favourable than the text: negations, questions and
		// anything else are in triage.
		{"not mitigated yet", cdx.IASInTriage, ""},
		{"mitigated?", cdx.IASInTriage, ""},
		{"mitigatedness unclear", cdx.IASInTriage, ""},
		{"probably not applicable", cdx.IASInTriage, ""},
		{"", cdx.IASInTriage, ""},
		{"n/a", cdx.IASInTriage, ""},
	} {
		s, j := analysisState(tc.text)
		if s != tc.state || j != tc.just {
			t.Errorf("analysisState(%q) = %q, %q; want %q, %q", tc.text, s, j, tc.state, tc.just)
		}
	}
}
