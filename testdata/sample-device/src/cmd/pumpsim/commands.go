package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"example.com/syringeflow/alarm"
	"example.com/syringeflow/dose"
	"example.com/syringeflow/eventlog"
	"example.com/syringeflow/ui"
)

// reply is one JSON answer.
type reply map[string]any

// args are a command's key=value arguments.
type args map[string]string

func (a args) num(key string) (float64, error) {
	v, ok := a[key]
	if !ok {
		return 0, fmt.Errorf("missing %s=", key)
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%s=%q is not a number", key, v)
	}
	return f, nil
}

func (a args) optNum(key string) (float64, error) {
	if _, ok := a[key]; !ok {
		return 0, nil
	}
	return a.num(key)
}

// command runs one command line and returns the reply and whether to quit.
func (s *sim) command(line string) (reply, bool) {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return reply{"ok": false, "error": "empty command"}, false
	}
	a := args{}
	for _, f := range fields[1:] {
		k, v, _ := strings.Cut(f, "=")
		a[k] = strings.ReplaceAll(v, "_", " ")
	}
	if fields[0] == "quit" {
		return reply{"ok": true}, true
	}
	h, ok := handlers[fields[0]]
	if !ok {
		return reply{"ok": false, "error": "unknown command " + fields[0]}, false
	}
	r, err := h(s, a)
	if r == nil {
		r = reply{}
	}
	r["ok"] = err == nil
	if err != nil {
		r["error"] = err.Error()
	}
	return r, false
}

var handlers map[string]func(*sim, args) (reply, error)

func init() {
	handlers = map[string]func(*sim, args) (reply, error){
		"status":             (*sim).status,
		"load":               (*sim).load,
		"purge":              func(s *sim, _ args) (reply, error) { s.purge.Purged(); return nil, nil },
		"primed":             func(s *sim, _ args) (reply, error) { s.purge.ConfirmPrimed(); return nil, nil },
		"drug":               (*sim).drug,
		"program":            (*sim).program,
		"confirm-soft-limit": func(s *sim, _ args) (reply, error) { s.engine.ConfirmSoftLimit(); return nil, nil },
		"review":             (*sim).review,
		"start":              (*sim).start,
		"stop": func(s *sim, _ args) (reply, error) {
			s.engine.Stop()
			s.record(eventlog.KindStop, "stopped by user")
			return nil, nil
		},
		"bolus":       (*sim).bolus,
		"tick":        (*sim).tick,
		"pressure":    (*sim).setPressure,
		"clamp":       (*sim).clamp,
		"plunger":     (*sim).setPlunger,
		"battery":     (*sim).battery,
		"ack":         (*sim).ack,
		"pause-audio": func(s *sim, _ args) (reply, error) { s.alarms.PauseAudio(s.now); return nil, nil },
		"log":         (*sim).readLog,
	}
}

func (s *sim) status(args) (reply, error) {
	state := "stopped"
	switch {
	case s.engine.Running():
		state = "running"
	case s.engine.Inhibited() != "":
		state = "inhibited"
	}
	r := reply{
		"state": state, "time_s": s.now.Seconds(),
		"rate": ui.Rate(s.engine.CurrentMLh()), "rate_mlh": s.engine.CurrentMLh(),
		"delivered_ml": round3(s.engine.DeliveredML()), "pressure_mmhg": round3(s.pressure),
		"relieved_ml": round3(s.relievedML), "plunger_ml": round3(s.plungerML()), "backlight_pct": s.light.Level(s.now, s.engine.Running(), len(s.alarms.Active()) > 0),
	}
	if s.libErr != nil {
		r["library"] = "basic mode: " + s.libErr.Error()
	} else {
		r["library"] = s.lib.Version
	}
	active := []string{}
	for _, c := range s.alarms.Active() {
		active = append(active, string(c))
	}
	r["alarms"] = active
	if c, audible, ok := s.alarms.Annunciated(s.now); ok {
		r["alarm"], r["priority"], r["audible"] = string(c), c.Priority().String(), audible
	}
	return r, nil
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

func (s *sim) load(a args) (reply, error) {
	sy, err := dose.LookupSyringe(a["syringe"])
	if err != nil {
		return nil, err
	}
	od, err := a.num("od")
	if err != nil {
		return nil, err
	}
	if err := s.engine.LoadSyringe(sy, od); err != nil {
		return nil, err
	}
	s.purge.SyringeLoaded()
	return reply{"syringe": fmt.Sprintf("%s %d mL", sy.Brand, sy.SizeML)}, nil
}

func (s *sim) drug(a args) (reply, error) {
	w, err := a.optNum("weight")
	if err != nil {
		return nil, err
	}
	var e dose.DrugEntry
	switch {
	case a["name"] == basicEntry.Name:
		e = basicEntry
	case s.libErr != nil:
		return nil, fmt.Errorf("drug library unavailable (%v): only %s can be used", s.libErr, basicEntry.Name)
	default:
		if e, err = s.lib.Lookup(a["area"], a["name"]); err != nil {
			return nil, err
		}
	}
	s.entry, s.weightKg, s.softNote = e, w, ""
	s.engine.SelectDrug(e, w)
	return reply{"drug": ui.DrugName(e.Name)}, nil
}

func (s *sim) program(a args) (reply, error) {
	d, err := a.num("dose")
	if err != nil {
		return nil, err
	}
	vtbi, err := a.optNum("vtbi")
	if err != nil {
		return nil, err
	}
	dec, err := s.engine.Program(d, vtbi)
	if err != nil {
		return reply{"verdict": dec.Verdict.String()}, err
	}
	s.dose, s.vtbiML, s.softNote = d, vtbi, ""
	if dec.Verdict == dose.NeedsConfirmation {
		s.softNote = dec.Reason
	}
	return reply{"verdict": dec.Verdict.String(), "reason": dec.Reason, "rate": ui.Rate(s.engine.RateMLh())}, nil
}

func (s *sim) review(args) (reply, error) {
	lines, token := ui.Screen(s.programme())
	return reply{"screen": lines, "token": token}, nil
}

func (s *sim) start(a args) (reply, error) {
	tok, err := strconv.ParseUint(a["token"], 10, 32)
	if err != nil {
		return nil, errors.New("start needs the token of the confirmation screen: review first")
	}
	if err := ui.Confirm(s.programme(), uint32(tok)); err != nil {
		return nil, err
	}
	if err := s.purge.CanStart(); err != nil {
		return nil, err
	}
	if err := s.engine.Start(); err != nil {
		return nil, err
	}
	s.record(eventlog.KindProgram, strings.Join(must(ui.Screen(s.programme())), "; "))
	s.record(eventlog.KindStart, ui.Rate(s.engine.RateMLh()))
	return nil, nil
}

func must(lines []string, _ uint32) []string { return lines }

func (s *sim) bolus(a args) (reply, error) {
	ml, err := a.num("ml")
	if err != nil {
		return nil, err
	}
	if err := s.engine.Bolus(ml); err != nil {
		return nil, err
	}
	s.record(eventlog.KindBolus, ui.Number(ml, 2)+" mL")
	return nil, nil
}

func (s *sim) tick(a args) (reply, error) {
	sec, err := a.num("s")
	if err != nil {
		return nil, err
	}
	if sec < 0 || sec > 48*3600 {
		return nil, fmt.Errorf("tick s=%g: between 0 and 172800 s", sec)
	}
	for n := int(math.Round(sec / alarm.SamplePeriod.Seconds())); n > 0; n-- {
		s.step()
	}
	return nil, nil
}

func (s *sim) setPressure(a args) (reply, error) {
	p, err := a.num("mmhg")
	if err != nil {
		return nil, err
	}
	s.pressure = p
	return nil, nil
}

func (s *sim) clamp(a args) (reply, error) {
	switch a["state"] {
	case "open":
		s.clampClosed = false
	case "closed":
		s.clampClosed = true
	default:
		return nil, errors.New("clamp state=open|closed")
	}
	return nil, nil
}

func (s *sim) setPlunger(a args) (reply, error) {
	switch a["state"] {
	case "released":
		s.plunger = false
	case "engaged":
		s.plunger = true
	default:
		return nil, errors.New("plunger state=released|engaged")
	}
	return nil, nil
}

func (s *sim) battery(a args) (reply, error) {
	m, err := a.num("minutes")
	if err != nil {
		return nil, err
	}
	s.batteryMin, s.onMains = m, a["mains"] == "true"
	return nil, nil
}

// ack acknowledges the alarms; when no alarm that stops the infusion is
// left, the motor is released (the user still has to start again).
func (s *sim) ack(args) (reply, error) {
	s.light.KeyPressed(s.now)
	s.alarms.Acknowledge(s.now)
	for _, c := range s.alarms.Active() {
		if c.StopsInfusion() {
			return nil, nil
		}
	}
	if s.speakerOK {
		s.engine.Release()
	}
	return nil, nil
}

func (s *sim) readLog(args) (reply, error) {
	// Read back what is on the medium, not what this process remembers.
	data := make([]byte, s.log.Size())
	if _, err := s.file.ReadAt(data, 0); err != nil {
		return nil, err
	}
	recs, problems, _ := eventlog.Scan(data)
	out := []reply{}
	for _, r := range recs {
		out = append(out, reply{"seq": r.Seq, "time": time.UnixMilli(r.TimeMS).UTC().Format(time.RFC3339), "kind": r.Kind.String(), "payload": r.Payload})
	}
	probs := []string{}
	for _, p := range problems {
		probs = append(probs, p.String())
	}
	return reply{"records": out, "problems": probs}, nil
}
