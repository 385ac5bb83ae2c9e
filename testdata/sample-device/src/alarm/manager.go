// Package alarm is the alarm system of the SyringeFlow SP-1 (software item
// alarms, safety class C): detection of the alarm conditions of IEC
// 60601-2-24 and their annunciation by priority after IEC 60601-1-8.
package alarm

import (
	"sort"
	"time"
)

// Priority is an IEC 60601-1-8 alarm priority.
type Priority int

const (
	Low Priority = iota + 1
	Medium
	High
)

func (p Priority) String() string {
	switch p {
	case Low:
		return "low"
	case Medium:
		return "medium"
	case High:
		return "high"
	}
	return "none"
}

// Condition is an alarm condition.
type Condition string

const (
	Occlusion           Condition = "occlusion"
	PressureSensorFault Condition = "pressure-sensor-fault"
	SyringeDisengaged   Condition = "syringe-disengaged"
	VolumeMismatch      Condition = "volume-mismatch"
	SpeakerFault        Condition = "speaker-fault"
	BatteryDepleted     Condition = "battery-depleted"
	BatteryLow          Condition = "battery-low"
	EndOfInfusion       Condition = "end-of-infusion"
	NearEnd             Condition = "near-end"
)

type spec struct {
	priority Priority
	latching bool // stays annunciated after the condition ends, until acknowledged
	stops    bool // the infusion stops and stays inhibited
}

var specs = map[Condition]spec{
	Occlusion:           {High, true, true},
	PressureSensorFault: {High, true, true},
	SyringeDisengaged:   {High, true, true},
	VolumeMismatch:      {High, true, true},
	SpeakerFault:        {High, true, true},
	BatteryDepleted:     {High, false, false},
	BatteryLow:          {Medium, false, false},
	EndOfInfusion:       {Medium, true, false},
	NearEnd:             {Low, false, false},
}

// Priority of the condition.
func (c Condition) Priority() Priority { return specs[c].priority }

// StopsInfusion reports whether the condition stops the motor.
func (c Condition) StopsInfusion() bool { return specs[c].stops }

// AudioPauseMax is the longest the user can silence the alarm sounds.
const AudioPauseMax = 120 * time.Second

// EventKind is what happened to an alarm, for the event log.
type EventKind string

const (
	Raised       EventKind = "raised"
	Acknowledged EventKind = "acknowledged"
	Cleared      EventKind = "cleared"
)

// Event is one change of an alarm.
type Event struct {
	At        time.Duration
	Kind      EventKind
	Condition Condition
	Priority  Priority
}

type state struct {
	since   time.Duration
	present bool // the condition still exists
}

// Manager holds the active alarms and decides what is annunciated.
type Manager struct {
	active     map[Condition]*state
	pauseUntil time.Duration
	// OnEvent, when set, receives every raise, acknowledgement and clear
	// (the event log records them: SRS-063).
	OnEvent func(Event)
}

func (m *Manager) emit(now time.Duration, k EventKind, c Condition) {
	if m.OnEvent != nil {
		m.OnEvent(Event{At: now, Kind: k, Condition: c, Priority: c.Priority()})
	}
}

// Raise reports that condition c exists at time now.
func (m *Manager) Raise(now time.Duration, c Condition) {
	if m.active == nil {
		m.active = map[Condition]*state{}
	}
	if s, ok := m.active[c]; ok {
		s.present = true
		return
	}
	m.active[c] = &state{since: now, present: true}
	if c.Priority() == High {
		m.pauseUntil = 0 // a new high-priority alarm ends an audio pause
	}
	m.emit(now, Raised, c)
}

// Clear reports that condition c no longer exists. A latching alarm stays
// annunciated until acknowledged, so that an occlusion that resolved itself
// is still seen by the clinician.
func (m *Manager) Clear(now time.Duration, c Condition) {
	s, ok := m.active[c]
	if !ok {
		return
	}
	if specs[c].latching {
		s.present = false
		return
	}
	delete(m.active, c)
	m.emit(now, Cleared, c)
}

// Acknowledge is the user's acknowledgement: latched alarms whose condition
// has ended are removed; alarms whose condition persists stay.
func (m *Manager) Acknowledge(now time.Duration) {
	for _, c := range m.Active() {
		m.emit(now, Acknowledged, c)
		if !m.active[c].present {
			delete(m.active, c)
			m.emit(now, Cleared, c)
		}
	}
}

// PauseAudio silences the alarm sounds for AudioPauseMax; visual signals
// continue.
func (m *Manager) PauseAudio(now time.Duration) { m.pauseUntil = now + AudioPauseMax }

// Active lists the active alarms, highest priority first, oldest first
// within a priority.
func (m *Manager) Active() []Condition {
	out := make([]Condition, 0, len(m.active))
	for c := range m.active {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Priority() != b.Priority() {
			return a.Priority() > b.Priority()
		}
		if m.active[a].since != m.active[b].since {
			return m.active[a].since < m.active[b].since
		}
		return a < b
	})
	return out
}

// Annunciated returns the alarm the display and speaker present now, and
// whether it sounds. ok is false when no alarm is active.
func (m *Manager) Annunciated(now time.Duration) (c Condition, audible, ok bool) {
	act := m.Active()
	if len(act) == 0 {
		return "", false, false
	}
	return act[0], now >= m.pauseUntil, true
}

// Has reports whether c is active.
func (m *Manager) Has(c Condition) bool { _, ok := m.active[c]; return ok }
