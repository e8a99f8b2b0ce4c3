# timeout: 3
sleep 1000
