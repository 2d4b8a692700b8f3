module example.com/stackforest

go 1.23
