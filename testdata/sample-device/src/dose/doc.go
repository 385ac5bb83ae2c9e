// Package dose is the dose engine of the SyringeFlow SP-1 (software item
// dose-engine, safety class C): it turns a programmed infusion into a motor
// step rate and enforces the limits of the mechanism, of the syringe and of
// the drug library before the motor ever moves.
package dose
