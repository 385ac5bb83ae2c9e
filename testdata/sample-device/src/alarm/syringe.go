package alarm

// DisengageSamples is how many consecutive 100 ms samples must show an open
// clamp or a released plunger before the alarm: long enough to ignore a
// knock against the pump, well inside the 1 s the requirement allows.
const DisengageSamples = 3

// Disengagement debounces the syringe clamp and plunger sensors.
type Disengagement struct{ n int }

// Sample takes one reading of both sensors and reports whether the syringe
// is disengaged.
func (d *Disengagement) Sample(clampClosed, plungerEngaged bool) bool {
	if clampClosed && plungerEngaged {
		d.n = 0
		return false
	}
	d.n++
	return d.n >= DisengageSamples
}
