module example.com/goroutine-leaker

go 1.23
