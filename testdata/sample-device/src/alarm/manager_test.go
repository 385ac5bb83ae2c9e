package alarm

import (
	"reflect"
	"testing"
	"time"
)

// Verifies: SRS-021
func TestManagerLatching(t *testing.T) {
	var events []Event
	m := &Manager{OnEvent: func(e Event) { events = append(events, e) }}
	m.Raise(0, Occlusion)
	m.Clear(2*time.Second, Occlusion) // the patient moved; pressure is back to normal
	if c, _, ok := m.Annunciated(3 * time.Second); !ok || c != Occlusion {
		t.Fatalf("occlusion not annunciated after the condition ended: %v %v", c, ok)
	}
	m.Acknowledge(10 * time.Second)
	if m.Has(Occlusion) {
		t.Error("latched occlusion still active after acknowledgement")
	}
	// A condition that persists is not removed by acknowledging it.
	m.Raise(20*time.Second, SyringeDisengaged)
	m.Acknowledge(21 * time.Second)
	if !m.Has(SyringeDisengaged) {
		t.Error("acknowledgement removed an alarm whose condition persists")
	}
	// Non-latching alarms end with their condition.
	m.Raise(30*time.Second, BatteryLow)
	m.Clear(31*time.Second, BatteryLow)
	if m.Has(BatteryLow) {
		t.Error("battery-low alarm stayed after mains power returned")
	}
	want := []EventKind{Raised, Acknowledged, Cleared, Raised, Acknowledged, Raised, Cleared}
	var got []EventKind
	for _, e := range events {
		got = append(got, e.Kind)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
}

// Verifies: SRS-023
func TestManagerPriority(t *testing.T) {
	tests := []struct {
		name  string
		raise []Condition
		want  Condition
	}{
		{"high over medium and low", []Condition{NearEnd, BatteryLow, Occlusion}, Occlusion},
		{"medium over low", []Condition{NearEnd, BatteryLow}, BatteryLow},
		{"oldest first within a priority", []Condition{SyringeDisengaged, Occlusion}, SyringeDisengaged},
	}
	for _, tc := range tests {
		m := &Manager{}
		for i, c := range tc.raise {
			m.Raise(time.Duration(i)*time.Second, c)
		}
		if c, _, _ := m.Annunciated(time.Minute); c != tc.want {
			t.Errorf("%s: annunciated %s, want %s", tc.name, c, tc.want)
		}
	}
}

// Verifies: SRS-024
func TestAudioPause(t *testing.T) {
	m := &Manager{}
	m.Raise(0, BatteryLow)
	m.PauseAudio(10 * time.Second)
	if _, audible, _ := m.Annunciated(10*time.Second + AudioPauseMax - time.Millisecond); audible {
		t.Error("audible during the audio pause")
	}
	if _, audible, _ := m.Annunciated(10*time.Second + AudioPauseMax); !audible {
		t.Error("still silent after 120 s")
	}
	m.PauseAudio(200 * time.Second)
	m.Raise(230*time.Second, Occlusion)
	if c, audible, _ := m.Annunciated(230 * time.Second); c != Occlusion || !audible {
		t.Errorf("new high-priority alarm during a pause: %s audible=%v, want occlusion audible", c, audible)
	}
}

// Verifies: SRS-025
func TestSpeakerSelfTest(t *testing.T) {
	tests := []struct {
		name string
		mA   float64
		err  error
		ok   bool
	}{
		{"healthy speaker", 78, nil, true},
		{"open coil", 0.4, nil, false},
		{"shorted coil", 310, nil, false},
		{"amplifier does not answer", 0, errAmp, false},
	}
	for _, tc := range tests {
		err := SpeakerSelfTest(func(hz float64, d time.Duration) (float64, error) {
			if hz != SelfTestToneHz || d != SelfTestDuration {
				t.Errorf("tone %g Hz for %v, want %g Hz for %v", hz, d, SelfTestToneHz, SelfTestDuration)
			}
			return tc.mA, tc.err
		})
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

var errAmp = errString("I2C NACK from amplifier")

type errString string

func (e errString) Error() string { return string(e) }
