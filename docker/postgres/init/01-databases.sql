-- Generated from AppHost/PlatformTopology.cs. Do not edit.
CREATE DATABASE "accessdb";
CREATE DATABASE "identitydb";
