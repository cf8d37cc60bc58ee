Console.WriteLine("Gateway.Bench");
