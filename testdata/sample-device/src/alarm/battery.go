package alarm

// Battery thresholds in minutes of remaining runtime at the current rate.
const (
	BatteryLowMinutes      = 30
	BatteryDepletedMinutes = 5
	BatteryCutoffMinutes   = 1
)

// BatteryState is the battery's alarm state.
type BatteryState int

const (
	BatteryOK BatteryState = iota
	BatteryLowState
	BatteryDepletedState
	BatteryCutoff // the infusion is stopped before the supply collapses
)

// Battery classifies the remaining runtime. On mains power there is no
// battery alarm whatever the charge.
func Battery(minutesLeft float64, onMains bool) BatteryState {
	switch {
	case onMains:
		return BatteryOK
	case minutesLeft <= BatteryCutoffMinutes:
		return BatteryCutoff
	case minutesLeft <= BatteryDepletedMinutes:
		return BatteryDepletedState
	case minutesLeft <= BatteryLowMinutes:
		return BatteryLowState
	}
	return BatteryOK
}
