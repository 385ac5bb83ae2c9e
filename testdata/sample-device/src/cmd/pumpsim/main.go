// Command pumpsim is the software-in-the-loop simulator of the SyringeFlow
// SP-1 that the system tests in tests/system drive. It wires the device's
// software items (dose, alarm, ui, eventlog) to simulated hardware: motor
// and plunger encoder, pressure sensor, syringe clamp, battery and speaker.
// It reads one command per line on stdin and answers each with one JSON
// object on stdout. It is test equipment, not device software.
//
// Usage:
//
//	pumpsim -log events.bin [-speaker-fault] [-library-version ICU-2024.1]
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
)

func main() {
	logPath := flag.String("log", "events.bin", "event log file (the flash partition)")
	speakerFault := flag.Bool("speaker-fault", false, "simulate an open speaker coil")
	libVersion := flag.String("library-version", releasedLibrary, "version of the drug library installed on the simulated pump")
	flag.Parse()

	f, err := os.OpenFile(*logPath, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pumpsim:", err)
		os.Exit(2)
	}
	defer f.Close()
	s, err := boot(f, *speakerFault, *libVersion)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pumpsim:", err)
		os.Exit(2)
	}

	out := json.NewEncoder(os.Stdout)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		reply, quit := s.command(in.Text())
		if err := out.Encode(reply); err != nil {
			fmt.Fprintln(os.Stderr, "pumpsim:", err)
			os.Exit(2)
		}
		if quit {
			return
		}
	}
}
