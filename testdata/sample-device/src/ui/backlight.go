package ui

import "time"

// Backlight dimming saves battery during long infusions.
const (
	DimAfter      = 60 * time.Second
	FullBrightPct = 100
	DimmedPct     = 20
)

// Backlight tracks user activity.
type Backlight struct {
	lastKey time.Duration
}

// KeyPressed records a key press; any key wakes the display.
func (b *Backlight) KeyPressed(now time.Duration) { b.lastKey = now }

// Level returns the backlight level in percent. The display dims only while
// infusing without an active alarm: an alarm always shows at full brightness.
func (b *Backlight) Level(now time.Duration, infusing, alarmActive bool) int {
	if infusing && !alarmActive && now-b.lastKey >= DimAfter {
		return DimmedPct
	}
	return FullBrightPct
}
