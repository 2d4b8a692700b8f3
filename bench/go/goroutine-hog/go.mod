module example.com/goroutine-hog

go 1.23
