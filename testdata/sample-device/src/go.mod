module example.com/syringeflow

go 1.22
