document.getElementById("root").textContent = "fixture site: the offline plan uploads this instead of the npm build";
