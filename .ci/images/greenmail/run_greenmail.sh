#!/bin/sh
exec java $JAVA_OPTS $GREENMAIL_OPTS -jar /home/greenmail/greenmail-standalone.jar
