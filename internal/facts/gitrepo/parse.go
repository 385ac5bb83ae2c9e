package gitrepo

import (
	"bufio"
	"io"
)

// readField reads up to the next NUL and returns what came before it. At the
// end of the input it returns what is left (empty at a clean end) and
// io.EOF. Fields longer than the reader's buffer (a long commit message)
// are assembled without limit: git's output is bounded by the repository.
func readField(br *bufio.Reader) (string, error) {
	b, err := br.ReadSlice(0)
	if err == nil {
		return string(b[:len(b)-1]), nil
	}
	if err != bufio.ErrBufferFull {
		return string(b), err
	}
	buf := append([]byte(nil), b...)
	for {
		b, err = br.ReadSlice(0)
		buf = append(buf, b...)
		switch err {
		case nil:
			return string(buf[:len(buf)-1]), nil
		case bufio.ErrBufferFull:
			continue
		default:
			return string(buf), err
		}
	}
}

// unexpectedEOF turns the io.EOF of a field cut short into an error.
func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
