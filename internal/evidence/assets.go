package evidence

import (
	"path/filepath"

	"github.com/tracegate/tracegate/internal/githubapi"
)

// Assets are the files of the bundle to attach to the release (what
// githubapi.Publisher.UploadReleaseAssets takes): the zip
// (which holds everything, the manifest included) and its SHA-256, and —
// so that a reader can open them from the release page without unzipping
// — the HTML report, the workbook, the gate result, the report as PDF when
// printed, and the CycloneDX SOUP BOM. Release asset names are flat, so
// each is named after the bundle: NAME.zip, NAME.zip.sha256,
// NAME-report.html, NAME.xlsx, NAME-result.json, NAME-report.pdf,
// NAME-soup.cdx.json.
func (b *Bundle) Assets() []githubapi.ReleaseAsset {
	out := []githubapi.ReleaseAsset{
		{Name: b.Name + ".zip", Path: b.Zip, MediaType: "application/zip"},
		{Name: b.Name + ".zip.sha256", Path: b.Zip + ".sha256", MediaType: "text/plain"},
		{Name: b.Name + "-report.html", Path: filepath.Join(b.Dir, ReportFile), MediaType: "text/html"},
		{Name: b.Name + ".xlsx", Path: filepath.Join(b.Dir, WorkbookFile), MediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{Name: b.Name + "-result.json", Path: filepath.Join(b.Dir, ResultFile), MediaType: "application/json"},
	}
	for _, f := range b.Files {
		if f.Path == PDFFile {
			out = append(out, githubapi.ReleaseAsset{Name: b.Name + "-report.pdf", Path: filepath.Join(b.Dir, PDFFile), MediaType: "application/pdf"})
		}
		if f.Path == SOUPCycloneDX {
			out = append(out, githubapi.ReleaseAsset{Name: b.Name + "-soup.cdx.json", Path: filepath.Join(b.Dir, filepath.FromSlash(SOUPCycloneDX)), MediaType: "application/vnd.cyclonedx+json"})
		}
	}
	return out
}
