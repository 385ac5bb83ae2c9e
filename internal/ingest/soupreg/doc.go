// Package soupreg reads the SOUP register (IEC 62304 8.1.2): tracegate's
// native soup.yml (schema/soup.schema.json) and the soup.yml of rdm, the
// Regulatory Documentation Manager. Sync appends an entry to be completed
// for every SBOM component the register lacks, without changing a byte of
// what the register already says.
package soupreg
