package alarm

// NearEndMinutes is when the near-end pre-alarm sounds before the volume to
// be infused is delivered.
const NearEndMinutes = 5

// Progress returns the infusion-progress alarm for the remaining volume at
// the running rate: NearEnd within NearEndMinutes of the end, EndOfInfusion
// at the end, none otherwise. remainingML < 0 means no volume was set.
func Progress(remainingML, rateMLh float64) (Condition, bool) {
	switch {
	case remainingML < 0:
		return "", false
	case remainingML <= 1e-9:
		return EndOfInfusion, true
	case rateMLh > 0 && remainingML/rateMLh*60 <= NearEndMinutes:
		return NearEnd, true
	}
	return "", false
}
