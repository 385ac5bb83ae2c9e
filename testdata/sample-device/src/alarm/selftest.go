package alarm

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Speaker self-test: the test tone is played at power-up and the speaker
// current is measured. An open or shorted speaker, or a failed amplifier,
// shows as a current outside the window.
const (
	SelfTestToneHz     = 1000.0
	SelfTestDuration   = 150 * time.Millisecond
	SpeakerMinMilliamp = 40.0
	SpeakerMaxMilliamp = 120.0
)

// SpeakerFeedback plays a tone and returns the RMS speaker current in mA.
type SpeakerFeedback func(toneHz float64, d time.Duration) (milliamps float64, err error)

// ErrSpeaker is returned when the speaker cannot be relied on.
var ErrSpeaker = errors.New("speaker self-test failed")

// SpeakerSelfTest runs the power-up speaker test. A failure must keep the
// pump from starting an infusion: an alarm nobody hears is no alarm.
func SpeakerSelfTest(fb SpeakerFeedback) error {
	mA, err := fb(SelfTestToneHz, SelfTestDuration)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrSpeaker, err)
	}
	if math.IsNaN(mA) || mA < SpeakerMinMilliamp || mA > SpeakerMaxMilliamp {
		return fmt.Errorf("%w: speaker current %.1f mA outside %.0f to %.0f mA", ErrSpeaker, mA, SpeakerMinMilliamp, SpeakerMaxMilliamp)
	}
	return nil
}
